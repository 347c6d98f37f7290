import { authorshipOf, type FakeActor } from './actor';
import { entityNotFound, inputError } from './errors';
import type { IssueCreateFields, IssuePatch } from './inputs';
import { withTemplate } from './template-ops';
import type { FakeLinearStore } from './store';
import type { IssueRecord, TeamRecord, WorkflowStateRecord } from './types';
import { PRIORITY_LABELS, TIMELESS_DATE, UUID_V4, newId, nowIso, slugify } from './util';

function requireTeam(store: FakeLinearStore, idOrKey: string): TeamRecord {
  const team = store.findTeam(idOrKey);
  if (!team) throw entityNotFound('Team');
  return team;
}

function requireState(store: FakeLinearStore, teamId: string, stateId: string): WorkflowStateRecord {
  const state = store.statesById.get(stateId);
  if (!state) throw entityNotFound('WorkflowState');
  if (state.teamId !== teamId) throw inputError('The workflow state does not belong to the issue team.');
  return state;
}

function defaultState(store: FakeLinearStore, teamId: string, type = 'backlog'): WorkflowStateRecord {
  const states = store.teamStates(teamId);
  const state = states.find((s) => s.type === type) ?? states.find((s) => s.type === 'backlog') ?? states[0];
  if (!state) throw inputError('The team has no workflow states.');
  return state;
}

function checkPriority(priority: number): number {
  if (!Number.isInteger(priority) || priority < 0 || priority > 4) {
    throw inputError('priority must be an integer between 0 and 4', 'Priority must be between 0 and 4.');
  }
  return priority;
}

function checkDueDate(dueDate: string): string {
  if (!TIMELESS_DATE.test(dueDate) || Number.isNaN(Date.parse(dueDate))) {
    throw inputError(`dueDate must be a date in YYYY-MM-DD format, got ${dueDate}`);
  }
  return dueDate;
}

function checkRefs(store: FakeLinearStore, fields: { assigneeId?: string | null; projectId?: string | null; labelIds?: readonly string[] | null }): void {
  if (fields.assigneeId && !store.usersById.has(fields.assigneeId)) throw entityNotFound('User');
  if (fields.projectId && !store.projectsById.has(fields.projectId)) throw entityNotFound('Project');
  for (const labelId of fields.labelIds ?? []) {
    if (!store.labelsById.has(labelId)) throw entityNotFound('IssueLabel');
  }
}

function checkTitle(title: string | null | undefined): string {
  if (!title || !title.trim()) throw inputError('title must not be empty', 'The issue needs a title.');
  return title;
}

function issueUrl(store: FakeLinearStore, identifier: string, title: string): string {
  return `https://linear.app/${store.organization.urlKey}/issue/${identifier}/${slugify(title)}`;
}

/** Linear stamps startedAt/completedAt/canceledAt from the state's type. */
function stampStateTimes(issue: IssueRecord, state: WorkflowStateRecord, at: string): void {
  if (state.type === 'started' && !issue.startedAt) issue.startedAt = at;
  issue.completedAt = state.type === 'completed' ? (issue.completedAt ?? at) : null;
  issue.canceledAt = state.type === 'canceled' ? (issue.canceledAt ?? at) : null;
}

export function createIssue(store: FakeLinearStore, given: IssueCreateFields, actorId: string | null, actor?: FakeActor): IssueRecord {
  const authorship = authorshipOf(actor ?? 'apiKey', given);
  if (given.id != null && !UUID_V4.test(given.id)) throw inputError('id must be a UUID v4', 'The id must be a UUID.');
  if (given.id != null && store.issuesById.has(given.id)) {
    throw inputError(`Entity Issue with id ${given.id} already exists.`);
  }
  const input = withTemplate(store, given);
  const team = requireTeam(store, input.teamId);
  const title = checkTitle(input.title);
  const state = input.stateId ? requireState(store, team.id, input.stateId) : defaultState(store, team.id);
  const priority = checkPriority(input.priority ?? 0);
  const dueDate = input.dueDate ? checkDueDate(input.dueDate) : null;
  checkRefs(store, input);

  const number = store.nextIssueNumber(team.id);
  const identifier = `${team.key}-${number}`;
  const at = input.createdAt ?? nowIso();
  const issue: IssueRecord = {
    id: input.id ?? newId(),
    teamId: team.id,
    number,
    identifier,
    previousIdentifiers: [],
    title,
    description: input.description ?? null,
    priority,
    priorityLabel: PRIORITY_LABELS[priority] ?? 'No priority',
    dueDate,
    stateId: state.id,
    assigneeId: input.assigneeId ?? null,
    creatorId: actorId,
    createdByActor: actor ?? null,
    ...authorship,
    projectId: input.projectId ?? null,
    labelIds: [...(input.labelIds ?? [])],
    subscriberIds: [...new Set([...(input.subscriberIds ?? []), ...(actorId ? [actorId] : [])])],
    url: issueUrl(store, identifier, title),
    branchName: `${identifier.toLowerCase()}-${slugify(title)}`,
    sortOrder: -number,
    prioritySortOrder: priority === 0 ? 0 : priority,
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    completedAt: null,
    canceledAt: null,
    archivedAt: null,
    trashed: null,
  };
  stampStateTimes(issue, state, at);
  store.issuesById.set(issue.id, issue);
  store.emitIssueChange({ action: 'create', issue, before: null, actorId });
  return issue;
}

function moveTeam(store: FakeLinearStore, issue: IssueRecord, team: TeamRecord, stateId: string | null | undefined): void {
  const oldType = store.statesById.get(issue.stateId)?.type;
  issue.previousIdentifiers = [...issue.previousIdentifiers, issue.identifier];
  issue.teamId = team.id;
  issue.number = store.nextIssueNumber(team.id);
  issue.identifier = `${team.key}-${issue.number}`;
  if (!stateId) issue.stateId = defaultState(store, team.id, oldType).id;
}

export function updateIssue(store: FakeLinearStore, idOrIdentifier: string, patch: IssuePatch, actorId: string | null): IssueRecord {
  const issue = store.findIssue(idOrIdentifier);
  if (!issue) throw entityNotFound('Issue');
  if (patch.title !== undefined) checkTitle(patch.title);
  if (patch.priority != null) checkPriority(patch.priority);
  if (patch.dueDate) checkDueDate(patch.dueDate);
  checkRefs(store, { ...patch, labelIds: [...(patch.labelIds ?? []), ...(patch.addedLabelIds ?? [])] });
  const team = patch.teamId ? requireTeam(store, patch.teamId) : undefined;
  if (patch.stateId) requireState(store, team?.id ?? issue.teamId, patch.stateId);

  const before: IssueRecord = structuredClone(issue);
  const at = nowIso();
  if (team && team.id !== issue.teamId) moveTeam(store, issue, team, patch.stateId);
  if (patch.title) issue.title = patch.title;
  if (patch.description !== undefined) issue.description = patch.description;
  if (patch.priority != null) {
    issue.priority = patch.priority;
    issue.priorityLabel = PRIORITY_LABELS[patch.priority] ?? 'No priority';
    issue.prioritySortOrder = patch.priority;
  }
  if (patch.dueDate !== undefined) issue.dueDate = patch.dueDate;
  if (patch.assigneeId !== undefined) issue.assigneeId = patch.assigneeId;
  if (patch.projectId !== undefined) issue.projectId = patch.projectId;
  if (patch.subscriberIds) issue.subscriberIds = [...patch.subscriberIds];
  if (patch.labelIds) issue.labelIds = [...patch.labelIds];
  if (patch.addedLabelIds) issue.labelIds = [...new Set([...issue.labelIds, ...patch.addedLabelIds])];
  if (patch.removedLabelIds) issue.labelIds = issue.labelIds.filter((l) => !patch.removedLabelIds?.includes(l));
  if (patch.trashed !== undefined) issue.trashed = patch.trashed;
  if (patch.stateId) issue.stateId = patch.stateId;
  const state = store.statesById.get(issue.stateId);
  if (state) stampStateTimes(issue, state, at);
  issue.url = issueUrl(store, issue.identifier, issue.title);
  issue.branchName = `${issue.identifier.toLowerCase()}-${slugify(issue.title)}`;
  issue.updatedAt = at;
  store.emitIssueChange({ action: 'update', issue, before, actorId });
  return issue;
}

/** Trashes the issue (Linear's default for `issueDelete`); `permanently` also drops it from the store. */
export function deleteIssue(store: FakeLinearStore, idOrIdentifier: string, actorId: string | null, permanently = false): IssueRecord {
  const issue = store.findIssue(idOrIdentifier);
  if (!issue) throw entityNotFound('Issue');
  const before: IssueRecord = structuredClone(issue);
  const at = nowIso();
  issue.trashed = true;
  issue.archivedAt = at;
  issue.updatedAt = at;
  if (permanently) store.issuesById.delete(issue.id);
  store.emitIssueChange({ action: 'remove', issue, before, actorId });
  return issue;
}
