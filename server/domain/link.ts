/**
 * A deal ↔ issue link: claimed (with a pre-generated Linear issue UUID) before any Linear call,
 * each write-back step stamped, so a crash resumes where it stopped.
 */
import type { LinkComment } from './comment-mirror';
import type { IssueSnapshot, NotedState } from './issue-snapshot';

/** The link key of the deal's automatic issue; extra issues made from the card get their own keys. */
export const WON_LINK_KEY = 'won';

export type LinkStatus = 'creating' | 'retrying' | 'failed' | 'linked' | 'unlinked';
export type LinkOrigin = 'won' | 'widget' | 'manual';
export type LinkStep = 'attachment' | 'field' | 'noteStarted' | 'note';

/** Something a transition owes the deal besides a note: a task for the manager, a stage move. */
export type FollowUpAction =
  | { kind: 'task'; taskTypeId: number; dueInWorkingHours: number }
  | { kind: 'stage'; pipelineId: number; statusId: number };

/** A note (or, with `action`, a follow-up whose `text` is the task's) the deal is still owed. */
export interface PendingNote {
  key: string;
  text: string;
  attemptedAt?: string;
  action?: FollowUpAction;
}

/** A Digital Pipeline action's own choices, each overriding the rule's (absent = the rule's). */
export interface TargetOverride {
  team?: string;
  project?: string;
  state?: string;
  labels?: string[];
  priority?: number;
}

/** What made an issue: a rule's trigger stage or a Digital Pipeline action, with the names then. */
export interface LinkTrigger {
  source: 'stage' | 'dp';
  ruleName: string | null;
  pipelineId: number;
  statusId: number;
  pipelineName: string | null;
  stageName: string | null;
  /** The Digital Pipeline action's settings (source 'dp'). */
  target?: TargetOverride;
}

export interface LinkWarning {
  code: string;
  message: string;
}

export interface LinkError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface DealLink {
  id: string;
  installationId: string;
  leadId: number;
  linkKey: string;
  origin: LinkOrigin;
  status: LinkStatus;
  linearIssueId: string;
  issue: IssueSnapshot | null;
  issueDeleted: boolean;
  dealDeadline: string | null;
  noted: NotedState | null;
  pendingNotes: PendingNote[];
  syncedAt: Date | null;
  issueCreatedAt: Date | null;
  attachmentDoneAt: Date | null;
  fieldDoneAt: Date | null;
  noteStartedAt: Date | null;
  noteDoneAt: Date | null;
  error: LinkError | null;
  warnings: LinkWarning[];
  /** Null for links made before trigger stages, from the card, or linked by hand. */
  trigger: LinkTrigger | null;
  attempts: number;
  requestedAt: Date;
  completedAt: Date | null;
  createdAt: Date;
  /** The last comment from Linear mirrored into the deal (comments both ways), for the card. */
  lastComment?: LinkComment | null;
  /** The last task a follow-up created for the deal's manager, for the card. */
  lastTask?: LinkTask | null;
}

/** A follow-up task made for the deal's manager: its text, when it is due (unknown when found, not made, by a retry), when it was made (ISO). */
export interface LinkTask {
  text: string;
  due: string | null;
  at: string;
}

export interface ClaimInput {
  installationId: string;
  leadId: number;
  linkKey: string;
  origin: LinkOrigin;
  requestedAt?: Date;
  trigger?: LinkTrigger;
}
