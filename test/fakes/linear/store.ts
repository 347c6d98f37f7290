import type { IssueCreateFields, IssuePatch } from './inputs';
import { createComment, updateComment } from './comment-ops';
import { createIssue, deleteIssue, updateIssue } from './issue-ops';
import type {
  AttachmentRecord,
  CommentChange,
  CommentRecord,
  CustomerNeedRecord,
  CustomerRecord,
  IssueChange,
  IssueRecord,
  LabelRecord,
  OrganizationRecord,
  ProjectRecord,
  StateType,
  TeamRecord,
  UserRecord,
  TemplateRecord,
  WebhookRecord,
  WorkflowStateRecord,
} from './types';
import { addTemplate, type TemplateSeed } from './template-ops';
import { newId, nowIso, slugify } from './util';

export interface TeamWithStates extends TeamRecord {
  states: WorkflowStateRecord[];
}

const DEFAULT_STATES: readonly { name: string; type: StateType; color: string }[] = [
  { name: 'Backlog', type: 'backlog', color: '#bec2c8' },
  { name: 'Todo', type: 'unstarted', color: '#e2e2e2' },
  { name: 'In Progress', type: 'started', color: '#f2c94c' },
  { name: 'Done', type: 'completed', color: '#5e6ad2' },
  { name: 'Canceled', type: 'canceled', color: '#95a2b3' },
  { name: 'Duplicate', type: 'canceled', color: '#95a2b3' },
];

export interface StoreOptions {
  orgUrlKey: string;
}

/** The in-memory workspace. Tests seed and inspect it; resolvers and the HTTP layer share it. */
export class FakeLinearStore {
  organization: OrganizationRecord;
  viewerId = '';
  readonly teamsById = new Map<string, TeamRecord>();
  readonly statesById = new Map<string, WorkflowStateRecord>();
  readonly usersById = new Map<string, UserRecord>();
  readonly projectsById = new Map<string, ProjectRecord>();
  readonly labelsById = new Map<string, LabelRecord>();
  readonly issuesById = new Map<string, IssueRecord>();
  readonly attachmentsById = new Map<string, AttachmentRecord>();
  readonly webhooksById = new Map<string, WebhookRecord>();
  readonly commentsById = new Map<string, CommentRecord>();
  readonly templatesById = new Map<string, TemplateRecord>();
  readonly customersById = new Map<string, CustomerRecord>();
  readonly needsById = new Map<string, CustomerNeedRecord>();
  private readonly issueCounters = new Map<string, number>();
  private readonly listeners = new Set<(change: IssueChange) => void>();
  private readonly commentListeners = new Set<(change: CommentChange) => void>();

  constructor(private readonly options: StoreOptions) {
    this.organization = { id: newId(), name: 'Fake Workspace', urlKey: options.orgUrlKey, customersEnabled: true };
    this.seed();
  }

  /** Empties every collection and re-seeds the default team and viewer (listeners stay). */
  reset(): void {
    const maps = [this.teamsById, this.statesById, this.usersById, this.projectsById, this.labelsById, this.templatesById];
    for (const map of [...maps, this.issuesById, this.attachmentsById, this.webhooksById, this.commentsById, this.customersById, this.needsById, this.issueCounters]) map.clear();
    this.organization = { id: newId(), name: 'Fake Workspace', urlKey: this.options.orgUrlKey, customersEnabled: true };
    this.seed();
  }

  private seed(): void {
    this.addTeam({ key: 'ENG', name: 'Engineering' });
    this.viewerId = this.addUser({ name: 'Kommo Bot', email: 'bot@example.com', admin: true }).id;
  }

  addTeam(input: { key: string; name: string; id?: string }): TeamWithStates {
    if (this.findTeam(input.key)) throw new Error(`Team key ${input.key} already exists`);
    const at = nowIso();
    const team: TeamRecord = { id: input.id ?? newId(), key: input.key, name: input.name, description: null, createdAt: at, updatedAt: at };
    this.teamsById.set(team.id, team);
    const states = DEFAULT_STATES.map((s, position): WorkflowStateRecord => {
      const state = { id: newId(), teamId: team.id, ...s, position, createdAt: at, updatedAt: at };
      this.statesById.set(state.id, state);
      return state;
    });
    return { ...team, states };
  }

  addUser(input: { name: string; email: string; id?: string; displayName?: string; avatarUrl?: string | null; active?: boolean; admin?: boolean }): UserRecord {
    const at = nowIso();
    const displayName = input.displayName ?? (input.name.split(' ')[0] ?? input.name).toLowerCase();
    const user: UserRecord = {
      id: input.id ?? newId(),
      name: input.name,
      displayName,
      email: input.email,
      avatarUrl: input.avatarUrl ?? null,
      active: input.active ?? true,
      admin: input.admin ?? false,
      url: `https://linear.app/${this.organization.urlKey}/profiles/${slugify(displayName)}`,
      createdAt: at,
      updatedAt: at,
    };
    this.usersById.set(user.id, user);
    return user;
  }

  addProject(input: { name: string; id?: string; teamIds?: string[]; state?: string }): ProjectRecord {
    const at = nowIso();
    const id = input.id ?? newId();
    const slugId = id.replace(/-/g, '').slice(0, 12);
    const project: ProjectRecord = {
      id,
      name: input.name,
      slugId,
      url: `https://linear.app/${this.organization.urlKey}/project/${slugify(input.name)}-${slugId}`,
      teamIds: input.teamIds ?? [...this.teamsById.keys()].slice(0, 1),
      state: input.state ?? 'started',
      createdAt: at,
      updatedAt: at,
    };
    this.projectsById.set(project.id, project);
    return project;
  }

  addLabel(input: { name: string; id?: string; color?: string; teamId?: string | null }): LabelRecord {
    const at = nowIso();
    const label: LabelRecord = {
      id: input.id ?? newId(),
      name: input.name,
      color: input.color ?? '#bec2c8',
      teamId: input.teamId ?? null,
      createdAt: at,
      updatedAt: at,
    };
    this.labelsById.set(label.id, label);
    return label;
  }

  /** An issue template of a team (by id or key), or of the whole workspace without `team`. */
  addTemplate(seed: TemplateSeed): TemplateRecord {
    return addTemplate(this, seed);
  }

  viewer(): UserRecord {
    const viewer = this.usersById.get(this.viewerId);
    if (!viewer) throw new Error('The fake has no viewer user');
    return viewer;
  }

  /** A team by UUID or key, the way Linear accepts `teamId`. */
  findTeam(idOrKey: string): TeamRecord | undefined {
    return this.teamsById.get(idOrKey) ?? [...this.teamsById.values()].find((t) => t.key === idOrKey);
  }

  teamStates(teamId: string): WorkflowStateRecord[] {
    return [...this.statesById.values()].filter((s) => s.teamId === teamId).sort((a, b) => a.position - b.position);
  }

  /** An issue by UUID, current identifier or previous identifier. */
  findIssue(idOrIdentifier: string): IssueRecord | undefined {
    const byId = this.issuesById.get(idOrIdentifier);
    if (byId) return byId;
    const key = idOrIdentifier.toUpperCase();
    const all = [...this.issuesById.values()];
    return all.find((i) => i.identifier === key) ?? all.find((i) => i.previousIdentifiers.includes(key));
  }

  nextIssueNumber(teamId: string): number {
    const next = (this.issueCounters.get(teamId) ?? 0) + 1;
    this.issueCounters.set(teamId, next);
    return next;
  }

  teams(): TeamRecord[] {
    return [...this.teamsById.values()];
  }
  users(): UserRecord[] {
    return [...this.usersById.values()];
  }
  issues(): IssueRecord[] {
    return [...this.issuesById.values()];
  }
  issue(idOrIdentifier: string): IssueRecord | undefined {
    return this.findIssue(idOrIdentifier);
  }
  customers(): CustomerRecord[] {
    return [...this.customersById.values()];
  }

  /** Customer requests, of one issue when given. */
  customerNeeds(issueId?: string): CustomerNeedRecord[] {
    return [...this.needsById.values()].filter((n) => issueId === undefined || n.issueId === issueId);
  }

  attachments(): AttachmentRecord[] {
    return [...this.attachmentsById.values()];
  }
  webhooks(): WebhookRecord[] {
    return [...this.webhooksById.values()];
  }

  /** Same validation and webhooks as the `issueCreate` mutation. */
  createIssue(input: IssueCreateFields, actorId: string | null = this.viewerId): IssueRecord {
    return createIssue(this, input, actorId);
  }

  /** Same validation and webhooks as the `issueUpdate` mutation; use it to play a human editing in Linear. */
  updateIssue(idOrIdentifier: string, patch: IssuePatch, actorId: string | null = this.viewerId): IssueRecord {
    return updateIssue(this, idOrIdentifier, patch, actorId);
  }

  deleteIssue(idOrIdentifier: string, options: { permanently?: boolean; actorId?: string | null } = {}): IssueRecord {
    return deleteIssue(this, idOrIdentifier, options.actorId === undefined ? this.viewerId : options.actorId, options.permanently);
  }

  /** Comments of an issue, oldest first. */
  comments(issueIdOrIdentifier: string): CommentRecord[] {
    const issue = this.findIssue(issueIdOrIdentifier);
    return [...this.commentsById.values()].filter((c) => c.issueId === issue?.id);
  }

  /** Same validation and webhooks as the `commentCreate` mutation; use it to play a person commenting in Linear. */
  addComment(input: { issueId: string; body: string; parentId?: string; id?: string }, actorId: string | null = this.viewerId): CommentRecord {
    return createComment(this, input, actorId);
  }

  /** A person editing a comment in Linear: an `update` webhook follows. */
  editComment(id: string, body: string, actorId: string | null = this.viewerId): CommentRecord {
    return updateComment(this, id, body, actorId);
  }

  onCommentChange(listener: (change: CommentChange) => void): () => void {
    this.commentListeners.add(listener);
    return () => this.commentListeners.delete(listener);
  }

  emitCommentChange(change: CommentChange): void {
    for (const listener of this.commentListeners) listener(change);
  }

  onIssueChange(listener: (change: IssueChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emitIssueChange(change: IssueChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
