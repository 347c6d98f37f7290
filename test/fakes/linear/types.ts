/** Records kept by the fake. Field names follow Linear's schema so resolvers can return them as-is. */
import type { FakeActor } from './actor';

export const STATE_TYPES = ['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled', 'duplicate'] as const;
export type StateType = (typeof STATE_TYPES)[number];

export interface OrganizationRecord {
  id: string;
  name: string;
  urlKey: string;
  /** The workspace's plan includes Customers; off, the customer mutations are refused. */
  customersEnabled: boolean;
}

export interface TeamRecord {
  id: string;
  key: string;
  name: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowStateRecord {
  id: string;
  teamId: string;
  name: string;
  type: StateType;
  color: string;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface UserRecord {
  id: string;
  name: string;
  displayName: string;
  email: string;
  avatarUrl: string | null;
  active: boolean;
  admin: boolean;
  url: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectRecord {
  id: string;
  name: string;
  slugId: string;
  url: string;
  teamIds: string[];
  state: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabelRecord {
  id: string;
  name: string;
  color: string;
  teamId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface IssueRecord {
  id: string;
  teamId: string;
  number: number;
  identifier: string;
  previousIdentifiers: string[];
  title: string;
  description: string | null;
  priority: number;
  priorityLabel: string;
  dueDate: string | null;
  stateId: string;
  assigneeId: string | null;
  creatorId: string | null;
  /** What created it: a key's user, an OAuth user, or an OAuth app acting as itself (`app`). */
  createdByActor?: FakeActor | null;
  /** The author name and icon an `actor=app` token gave (createAsUser, displayIconUrl). */
  createAsUser?: string | null;
  displayIconUrl?: string | null;
  projectId: string | null;
  labelIds: string[];
  subscriberIds: string[];
  url: string;
  branchName: string;
  sortOrder: number;
  prioritySortOrder: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  canceledAt: string | null;
  archivedAt: string | null;
  trashed: boolean | null;
}

export interface AttachmentRecord {
  id: string;
  issueId: string;
  url: string;
  title: string;
  subtitle: string | null;
  iconUrl: string | null;
  metadata: Record<string, unknown>;
  groupBySource: boolean;
  sourceType: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookRecord {
  id: string;
  url: string;
  label: string | null;
  secret: string;
  enabled: boolean;
  resourceTypes: string[];
  teamId: string | null;
  allPublicTeams: boolean;
  createdAt: string;
  updatedAt: string;
}

export type IssueAction = 'create' | 'update' | 'remove';

/** What the store reports after an issue changed, so the webhook emitter can build `updatedFrom`. */
export interface IssueChange {
  action: IssueAction;
  issue: IssueRecord;
  before: IssueRecord | null;
  actorId: string | null;
}

export interface CommentRecord {
  id: string;
  issueId: string;
  body: string;
  userId: string | null;
  parentId: string | null;
  /** The name an OAuth app in `actor=app` mode gave as the author, and its icon. */
  createAsUser: string | null;
  displayIconUrl?: string | null;
  createdAt: string;
  updatedAt: string;
  editedAt: string | null;
}

/** What the store reports after a comment was created or edited. */
export interface CommentChange {
  action: 'create' | 'update';
  comment: CommentRecord;
  actorId: string | null;
  previousBody?: string;
}

/** An issue template; `teamId` null = shared by every team of the workspace. */
export interface TemplateRecord {
  id: string;
  name: string;
  description: string | null;
  type: string;
  teamId: string | null;
  /** Pre-filled issue fields, keyed like `IssueCreateInput` (title, description, priority, labelIds, …). */
  templateData: Record<string, unknown>;
  sortOrder: number;
  createdAt: string;
  updatedAt: string;
}

/** A Linear customer (the Customers feature); `tierName` stands for its `CustomerTier`. */
export interface CustomerRecord {
  id: string;
  name: string;
  domains: string[];
  externalIds: string[];
  revenue: number | null;
  size: number | null;
  ownerId: string | null;
  tierName: string | null;
  slackChannelId: string | null;
  slugId: string;
  createdAt: string;
  updatedAt: string;
}

/** A customer request on an issue, backed by an attachment when it has a source URL. */
export interface CustomerNeedRecord {
  id: string;
  issueId: string;
  customerId: string | null;
  attachmentId: string | null;
  body: string | null;
  priority: number;
  createdAt: string;
  updatedAt: string;
}
