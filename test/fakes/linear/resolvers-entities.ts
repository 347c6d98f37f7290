import { toConnection } from './connection';
import type { FakeContext } from './context';
import type { FakeLinearStore } from './store';
import { matchesId, matchesString } from './filters';
import { connectionArgs } from './inputs';
import type {
  AttachmentRecord,
  CommentRecord,
  CustomerNeedRecord,
  CustomerRecord,
  IssueRecord,
  LabelRecord,
  ProjectRecord,
  TeamRecord,
  TemplateRecord,
  UserRecord,
  WebhookRecord,
  WorkflowStateRecord,
} from './types';
import { z } from 'zod';

type Args = Record<string, unknown>;
type Field<T> = (source: T, args: Args, context: FakeContext) => unknown;

/**
 * Mocked parents (an Issue's `reactions[0].user`, say) also reach these resolvers. They only run for
 * records the store holds; for anything else they return undefined so the mock value is used.
 */
function stored<T extends { id: string }>(
  collection: (store: FakeLinearStore) => ReadonlyMap<string, unknown>,
  fields: Record<string, Field<T>>,
): Record<string, Field<T>> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, resolve]) => [
      name,
      (source: T, args: Args, context: FakeContext) =>
        collection(context.store).has(source.id) ? resolve(source, args, context) : undefined,
    ]),
  );
}

const none = () => null;
const slugOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const emptyConnection = () => toConnection([]);
const statesArgs = connectionArgs.extend({
  filter: z
    .object({
      type: z.object({ eq: z.string().nullish(), in: z.array(z.string()).nullish() }).partial().nullish(),
      name: z.object({ eq: z.string().nullish() }).partial().nullish(),
    })
    .partial()
    .nullish(),
});

/** Relations the store does not model answer null/empty instead of random mock objects. */
const issueFields = stored<IssueRecord>((store) => store.issuesById, {
  state: (i: IssueRecord, _: Args, { store }: FakeContext) => store.statesById.get(i.stateId),
  team: (i: IssueRecord, _: Args, { store }: FakeContext) => store.teamsById.get(i.teamId),
  assignee: (i: IssueRecord, _: Args, { store }: FakeContext) => (i.assigneeId ? store.usersById.get(i.assigneeId) : null),
  creator: (i: IssueRecord, _: Args, { store }: FakeContext) => (i.creatorId ? store.usersById.get(i.creatorId) : null),
  project: (i: IssueRecord, _: Args, { store }: FakeContext) => (i.projectId ? store.projectsById.get(i.projectId) : null),
  labels: (i: IssueRecord, args: Args, { store }: FakeContext) =>
    toConnection(i.labelIds.flatMap((id) => store.labelsById.get(id) ?? []), connectionArgs.parse(args)),
  subscribers: (i: IssueRecord, args: Args, { store }: FakeContext) =>
    toConnection(i.subscriberIds.flatMap((id) => store.usersById.get(id) ?? []), connectionArgs.parse(args)),
  attachments: (i: IssueRecord, args: Args, { store }: FakeContext) =>
    toConnection(store.attachments().filter((a) => a.issueId === i.id), connectionArgs.parse(args)),
  children: emptyConnection,
  needs: (i: IssueRecord, args: Args, { store }: FakeContext) => toConnection(store.customerNeeds(i.id), connectionArgs.parse(args)),
  comments: (i: IssueRecord, args: Args, { store }: FakeContext) => toConnection(store.comments(i.id), connectionArgs.parse(args)),
  parent: none,
  cycle: none,
  projectMilestone: none,
  delegate: none,
  snoozedBy: none,
  snoozedUntilAt: none,
  externalUserCreator: none,
  sourceComment: none,
  recurringIssueTemplate: none,
  lastAppliedTemplate: none,
  botActor: none,
  estimate: none,
});

export const entityResolvers = {
  Issue: issueFields,
  IssueSearchResult: { ...issueFields, metadata: () => ({}) },
  Team: stored<TeamRecord>((store) => store.teamsById, {
    displayName: (t: TeamRecord) => t.name,
    states: (t: TeamRecord, args: Args, { store }: FakeContext) => {
      const a = statesArgs.parse(args);
      const states = store
        .teamStates(t.id)
        .filter((s) => matchesId(a.filter?.type, s.type) && matchesString(a.filter?.name, s.name));
      return toConnection(states, a);
    },
    issues: (t: TeamRecord, args: Args, { store }: FakeContext) =>
      toConnection(store.issues().filter((i) => i.teamId === t.id), connectionArgs.parse(args)),
    members: (_: TeamRecord, args: Args, { store }: FakeContext) => toConnection(store.users(), connectionArgs.parse(args)),
    labels: (t: TeamRecord, args: Args, { store }: FakeContext) =>
      toConnection([...store.labelsById.values()].filter((l) => l.teamId === t.id), connectionArgs.parse(args)),
    projects: (t: TeamRecord, args: Args, { store }: FakeContext) =>
      toConnection([...store.projectsById.values()].filter((p) => p.teamIds.includes(t.id)), connectionArgs.parse(args)),
    organization: (_: TeamRecord, __: Args, { store }: FakeContext) => store.organization,
    templates: (t: TeamRecord, args: Args, { store }: FakeContext) =>
      toConnection([...store.templatesById.values()].filter((x) => x.teamId === t.id), connectionArgs.parse(args)),
    parent: none,
  }),
  Template: stored<TemplateRecord>((store) => store.templatesById, {
    team: (x: TemplateRecord, _: Args, { store }: FakeContext) => (x.teamId ? store.teamsById.get(x.teamId) : null),
    // The JSON scalar is "stringified JSON" in Linear's schema.
    templateData: (x: TemplateRecord) => JSON.stringify(x.templateData),
    organization: (_: TemplateRecord, __: Args, { store }: FakeContext) => store.organization,
    hasFormFields: () => false,
    archivedAt: none,
    color: none,
    icon: none,
    creator: none,
    lastUpdatedBy: none,
    lastAppliedAt: none,
    inheritedFrom: none,
    pipeline: none,
  }),
  WorkflowState: stored<WorkflowStateRecord>((store) => store.statesById, {
    team: (s: WorkflowStateRecord, _: Args, { store }: FakeContext) => store.teamsById.get(s.teamId),
    description: none,
    inheritedFrom: none,
  }),
  User: stored<UserRecord>((store) => store.usersById, {
    isMe: (u: UserRecord, _: Args, { store }: FakeContext) => u.id === store.viewerId,
    initials: (u: UserRecord) => u.name.split(/\s+/).map((p) => p.charAt(0).toUpperCase()).join('').slice(0, 2),
    assignedIssues: (u: UserRecord, args: Args, { store }: FakeContext) =>
      toConnection(store.issues().filter((i) => i.assigneeId === u.id), connectionArgs.parse(args)),
    organization: (_: UserRecord, __: Args, { store }: FakeContext) => store.organization,
    guest: () => false,
    app: () => false,
  }),
  Project: stored<ProjectRecord>((store) => store.projectsById, {
    teams: (p: ProjectRecord, args: Args, { store }: FakeContext) =>
      toConnection(p.teamIds.flatMap((id) => store.teamsById.get(id) ?? []), connectionArgs.parse(args)),
    issues: (p: ProjectRecord, args: Args, { store }: FakeContext) =>
      toConnection(store.issues().filter((i) => i.projectId === p.id), connectionArgs.parse(args)),
    lead: none,
  }),
  IssueLabel: stored<LabelRecord>((store) => store.labelsById, {
    team: (l: LabelRecord, _: Args, { store }: FakeContext) => (l.teamId ? store.teamsById.get(l.teamId) : null),
    parent: none,
    isGroup: () => false,
  }),
  Attachment: stored<AttachmentRecord>((store) => store.attachmentsById, {
    issue: (a: AttachmentRecord, _: Args, { store }: FakeContext) => store.issuesById.get(a.issueId),
    creator: none,
    externalUserCreator: none,
  }),
  Comment: stored<CommentRecord>((store) => store.commentsById, {
    issue: (c: CommentRecord, _: Args, { store }: FakeContext) => store.issuesById.get(c.issueId),
    issueId: (c: CommentRecord) => c.issueId,
    user: (c: CommentRecord, _: Args, { store }: FakeContext) => (c.userId ? store.usersById.get(c.userId) : null),
    parent: (c: CommentRecord, _: Args, { store }: FakeContext) => (c.parentId ? store.commentsById.get(c.parentId) : null),
    children: (c: CommentRecord, args: Args, { store }: FakeContext) =>
      toConnection([...store.commentsById.values()].filter((x) => x.parentId === c.id), connectionArgs.parse(args)),
    externalUser: none,
    botActor: none,
    resolvedAt: none,
    resolvingUser: none,
    resolvingComment: none,
  }),
  Webhook: stored<WebhookRecord>((store) => store.webhooksById, {
    team: (w: WebhookRecord, _: Args, { store }: FakeContext) => (w.teamId ? store.teamsById.get(w.teamId) : null),
    creator: none,
  }),
  Customer: stored<CustomerRecord>((store) => store.customersById, {
    needs: (c: CustomerRecord, _: Args, { store }: FakeContext) => store.customerNeeds().filter((n) => n.customerId === c.id),
    approximateNeedCount: (c: CustomerRecord, _: Args, { store }: FakeContext) => store.customerNeeds().filter((n) => n.customerId === c.id).length,
    owner: (c: CustomerRecord, _: Args, { store }: FakeContext) => (c.ownerId ? store.usersById.get(c.ownerId) : null),
    tier: (c: CustomerRecord) => (c.tierName ? { id: `tier-${slugOf(c.tierName)}`, name: c.tierName, displayName: c.tierName } : null),
    url: (c: CustomerRecord, _: Args, { store }: FakeContext) => `https://linear.app/${store.organization.urlKey}/customer/${c.slugId}`,
    integration: none,
    mainSourceId: none,
    logoUrl: none,
  }),
  CustomerNeed: stored<CustomerNeedRecord>((store) => store.needsById, {
    issue: (n: CustomerNeedRecord, _: Args, { store }: FakeContext) => store.issuesById.get(n.issueId),
    customer: (n: CustomerNeedRecord, _: Args, { store }: FakeContext) => (n.customerId ? store.customersById.get(n.customerId) : null),
    attachment: (n: CustomerNeedRecord, _: Args, { store }: FakeContext) => (n.attachmentId ? store.attachmentsById.get(n.attachmentId) : null),
    url: (n: CustomerNeedRecord, _: Args, { store }: FakeContext) => (n.attachmentId ? (store.attachmentsById.get(n.attachmentId)?.url ?? null) : null),
    content: (n: CustomerNeedRecord) => n.body,
    comment: none,
    creator: none,
    originalIssue: none,
    project: none,
    projectAttachment: none,
    bodyData: none,
  }),
  Organization: {
    teams: (_: unknown, args: Args, { store }: FakeContext) => toConnection(store.teams(), connectionArgs.parse(args)),
    users: (_: unknown, args: Args, { store }: FakeContext) => toConnection(store.users(), connectionArgs.parse(args)),
    templates: (_: unknown, args: Args, { store }: FakeContext) =>
      toConnection([...store.templatesById.values()].filter((x) => x.teamId === null), connectionArgs.parse(args)),
  },
};
