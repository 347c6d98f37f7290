import { z } from 'zod';

/**
 * The subset of Linear's input types the fake acts on. GraphQL has already checked the types, so
 * these schemas only narrow `unknown` for TypeScript; unknown fields are ignored like mocked ones.
 */
const str = z.string().nullish();
const strList = z.array(z.string()).nullish();

export const issueCreateInput = z.object({
  id: str,
  teamId: z.string(),
  title: str,
  description: str,
  priority: z.number().nullish(),
  dueDate: str,
  stateId: str,
  assigneeId: str,
  projectId: str,
  labelIds: strList,
  subscriberIds: strList,
  createdAt: str,
  createAsUser: str,
  displayIconUrl: str,
  /** Linear applies the template's fields first; the input's own values override them. */
  templateId: str,
});
export type IssueCreateFields = z.infer<typeof issueCreateInput>;

export const issueUpdateInput = z.object({
  title: str,
  description: str,
  priority: z.number().nullish(),
  dueDate: str,
  stateId: str,
  assigneeId: str,
  projectId: str,
  teamId: str,
  labelIds: strList,
  addedLabelIds: strList,
  removedLabelIds: strList,
  subscriberIds: strList,
  trashed: z.boolean().nullish(),
});
/** `null` clears a nullable field (assignee, project, due date); an absent key leaves it unchanged. */
export type IssuePatch = z.infer<typeof issueUpdateInput>;

export const attachmentCreateInput = z.object({
  id: str,
  issueId: z.string(),
  url: z.string(),
  title: z.string(),
  subtitle: str,
  iconUrl: str,
  metadata: z.record(z.string(), z.unknown()).nullish(),
  groupBySource: z.boolean().nullish(),
});
export type AttachmentCreateFields = z.infer<typeof attachmentCreateInput>;

export const commentCreateInput = z.object({
  id: str,
  issueId: str,
  body: str,
  parentId: str,
  createAsUser: str,
  displayIconUrl: str,
  doNotSubscribeToIssue: z.boolean().nullish(),
});
export type CommentCreateFields = z.infer<typeof commentCreateInput>;

export const webhookCreateInput = z.object({
  id: str,
  url: z.string(),
  label: str,
  secret: str,
  enabled: z.boolean().nullish(),
  resourceTypes: z.array(z.string()),
  teamId: str,
  allPublicTeams: z.boolean().nullish(),
});
export type WebhookCreateFields = z.infer<typeof webhookCreateInput>;

export const idComparator = z.object({ eq: str, in: strList, neq: str, nin: strList }).partial();
const stringComparator = z
  .object({ eq: str, neq: str, in: strList, eqIgnoreCase: str, containsIgnoreCase: str, contains: str })
  .partial();
const numberComparator = z.object({ eq: z.number().nullish(), in: z.array(z.number()).nullish() }).partial();
export const dateComparator = z.object({ eq: str, gt: str, gte: str, lt: str, lte: str }).partial();

export const teamFilter = z.object({ id: idComparator.nullish(), key: stringComparator.nullish(), name: stringComparator.nullish() }).partial();
export type TeamFilter = z.infer<typeof teamFilter>;

export const issueFilter = z
  .object({
    id: idComparator.nullish(),
    number: numberComparator.nullish(),
    updatedAt: dateComparator.nullish(),
    createdAt: dateComparator.nullish(),
    team: teamFilter.nullish(),
    title: stringComparator.nullish(),
    state: z.object({ type: stringComparator.nullish(), id: idComparator.nullish() }).partial().nullish(),
    assignee: z.object({ id: idComparator.nullish() }).partial().nullish(),
    attachments: z.object({ url: stringComparator.nullish() }).partial().nullish(),
  })
  .partial();
export type IssueFilter = z.infer<typeof issueFilter>;

export const connectionArgs = z.object({
  first: z.number().nullish(),
  after: str,
  last: z.number().nullish(),
  before: str,
  orderBy: str,
  includeArchived: z.boolean().nullish(),
});
export type ConnectionArgs = z.infer<typeof connectionArgs>;

export type StringComparator = z.infer<typeof stringComparator>;
export type IdComparator = z.infer<typeof idComparator>;
export type DateComparator = z.infer<typeof dateComparator>;
export type NumberComparator = z.infer<typeof numberComparator>;

export const customerUpsertInput = z.object({
  id: str,
  externalId: str,
  name: str,
  domains: strList,
  revenue: z.number().int().nullish(),
  size: z.number().int().nullish(),
  ownerId: str,
  tierName: str,
  tierId: str,
  statusId: str,
  logoUrl: str,
  slackChannelId: str,
});
export type CustomerUpsertFields = z.infer<typeof customerUpsertInput>;

export const customerNeedCreateInput = z.object({
  id: str,
  issueId: str,
  customerId: str,
  customerExternalId: str,
  attachmentUrl: str,
  attachmentId: str,
  body: str,
  priority: z.number().min(0).max(1).nullish(),
});
export type CustomerNeedCreateFields = z.infer<typeof customerNeedCreateInput>;

export const customerNeedUpdateInput = z.object({
  customerId: str,
  customerExternalId: str,
  body: str,
  priority: z.number().min(0).max(1).nullish(),
  issueId: str,
});
export type CustomerNeedUpdateFields = z.infer<typeof customerNeedUpdateInput>;
