/** The one mapping of Linear's issue (API answer or webhook data) to what a link keeps of it. */
import type { IssueSnapshot } from '../domain/issue-snapshot';

/** The fields both Linear's issue queries and its Issue webhooks carry. */
export interface LinearIssueFields {
  identifier: string;
  title: string;
  url: string;
  priority: number;
  dueDate?: string | null;
  updatedAt: string;
  state?: { name: string; type: string; color: string } | null;
  assignee?: { id: string; name: string; avatarUrl?: string | null } | null;
}

export function snapshotOf(issue: LinearIssueFields): IssueSnapshot {
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
