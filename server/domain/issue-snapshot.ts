/** What we keep of a Linear issue on its link, and what the deal was last told about it. */

export interface IssueSnapshot {
  identifier: string;
  title: string;
  url: string;
  state: { name: string; type: string; color: string } | null;
  assignee: { id: string; name: string; avatarUrl: string | null } | null;
  priority: number;
  dueDate: string | null;
  updatedAt: string;
}

/** What the deal was last told about its issue; notes are posted for differences from it. */
export interface NotedState {
  identifier: string;
  stateType: string | null;
  assigneeId: string | null;
  deleted: boolean;
  updatedAt: string;
}

export function notedOf(issue: IssueSnapshot, deleted = false): NotedState {
  return {
    identifier: issue.identifier,
    stateType: issue.state?.type ?? null,
    assigneeId: issue.assignee?.id ?? null,
    deleted,
    updatedAt: issue.updatedAt,
  };
}
