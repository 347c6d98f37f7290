import type { IssueSnapshot } from '../db/repos/links';
import type { LinearIssue } from '../linear/schemas';

/** What we keep of a Linear issue on its link, for the deal card and change detection. */
export function snapshotOf(issue: LinearIssue): IssueSnapshot {
  return {
    identifier: issue.identifier,
    title: issue.title,
    url: issue.url,
    state: issue.state ? { name: issue.state.name, type: issue.state.type, color: issue.state.color } : null,
    assignee: issue.assignee
      ? { id: issue.assignee.id, name: issue.assignee.name, avatarUrl: issue.assignee.avatarUrl ?? null }
      : null,
    priority: Math.round(issue.priority),
    dueDate: issue.dueDate ?? null,
    updatedAt: issue.updatedAt,
  };
}
