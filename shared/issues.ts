/** Linear's priority scale: 0 none, 1 urgent, 2 high, 3 medium, 4 low. */
export const LINEAR_PRIORITIES = [0, 1, 2, 3, 4] as const;
export type LinearPriority = (typeof LINEAR_PRIORITIES)[number];

export const PRIORITY_LABELS: Record<LinearPriority, string> = {
  0: 'No priority',
  1: 'Urgent',
  2: 'High',
  3: 'Medium',
  4: 'Low',
};

/** A human issue identifier such as ENG-42 (team key, dash, number). */
export const ISSUE_IDENTIFIER = /^[A-Z][A-Z0-9_]{0,9}-\d{1,9}$/;

export function isIssueIdentifier(value: string): boolean {
  return ISSUE_IDENTIFIER.test(value.trim().toUpperCase());
}

/** Linear state types; match on these, never on state names (teams rename them). */
export const STATE_TYPES = ['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled', 'duplicate'] as const;
