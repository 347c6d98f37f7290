import type { FakeLinearStore } from './store';
import type { IssueAction, IssueRecord } from './types';

/** Fields compared for `updatedFrom`; derived ones (url, labels objects) are left out like Linear does. */
const TRACKED_FIELDS = [
  'title', 'description', 'priority', 'dueDate', 'stateId', 'assigneeId', 'projectId', 'teamId', 'labelIds',
  'subscriberIds', 'identifier', 'number', 'startedAt', 'completedAt', 'canceledAt', 'archivedAt', 'trashed', 'updatedAt',
] as const satisfies readonly (keyof IssueRecord)[];

function userChild(store: FakeLinearStore, id: string | null): Record<string, unknown> | null {
  const user = id ? store.usersById.get(id) : undefined;
  return user ? { id: user.id, name: user.name, email: user.email, avatarUrl: user.avatarUrl, url: user.url } : null;
}

/** `data` of an Issue webhook, shaped like the schema's `IssueWebhookPayload`. */
export function issueWebhookData(store: FakeLinearStore, issue: IssueRecord): Record<string, unknown> {
  const state = store.statesById.get(issue.stateId);
  const team = store.teamsById.get(issue.teamId);
  const project = issue.projectId ? store.projectsById.get(issue.projectId) : undefined;
  const labels = issue.labelIds.flatMap((id) => {
    const label = store.labelsById.get(id);
    return label ? [{ id: label.id, name: label.name, color: label.color, parentId: null }] : [];
  });
  return {
    id: issue.id,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    archivedAt: issue.archivedAt,
    number: issue.number,
    title: issue.title,
    description: issue.description,
    priority: issue.priority,
    priorityLabel: issue.priorityLabel,
    prioritySortOrder: issue.prioritySortOrder,
    sortOrder: issue.sortOrder,
    estimate: null,
    dueDate: issue.dueDate,
    startedAt: issue.startedAt,
    completedAt: issue.completedAt,
    canceledAt: issue.canceledAt,
    trashed: issue.trashed,
    teamId: issue.teamId,
    team: team ? { id: team.id, key: team.key, name: team.name } : null,
    stateId: issue.stateId,
    state: state ? { id: state.id, name: state.name, type: state.type, color: state.color } : null,
    assigneeId: issue.assigneeId,
    assignee: userChild(store, issue.assigneeId),
    creatorId: issue.creatorId,
    creator: userChild(store, issue.creatorId),
    projectId: issue.projectId,
    project: project ? { id: project.id, name: project.name, url: project.url } : null,
    parentId: null,
    cycleId: null,
    labelIds: [...issue.labelIds],
    labels,
    subscriberIds: [...issue.subscriberIds],
    previousIdentifiers: [...issue.previousIdentifiers],
    identifier: issue.identifier,
    integrationSourceType: null,
    reactionData: {},
    botActor: null,
    url: issue.url,
  };
}

/** Previous values of every changed tracked field; `null` where it was unset. */
export function updatedFromOf(before: IssueRecord, after: IssueRecord): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const field of TRACKED_FIELDS) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changed[field] = before[field] ?? null;
  }
  return changed;
}

export interface EnvelopeInput {
  action: IssueAction;
  issue: IssueRecord;
  updatedFrom?: Record<string, unknown> | undefined;
  actorId: string | null;
  webhookId: string;
}

/** The `EntityWebhookPayload` envelope; `webhookTimestamp` is stamped at send time. */
export function issueWebhookEnvelope(store: FakeLinearStore, input: EnvelopeInput): Record<string, unknown> {
  const actor = input.actorId ? store.usersById.get(input.actorId) : undefined;
  const createdAt = input.action === 'create' ? input.issue.createdAt : input.issue.updatedAt;
  return {
    action: input.action,
    type: 'Issue',
    ...(actor
      ? { actor: { id: actor.id, type: 'user', name: actor.name, email: actor.email, url: actor.url, avatarUrl: actor.avatarUrl } }
      : {}),
    createdAt,
    data: issueWebhookData(store, input.issue),
    ...(input.action === 'update' ? { updatedFrom: input.updatedFrom ?? {} } : {}),
    url: input.issue.url,
    organizationId: store.organization.id,
    webhookId: input.webhookId,
    webhookTimestamp: Date.now(),
  };
}
