/** Shapes of Linear's answers to our operations (operations.ts); unknown fields are dropped. */
import { z } from 'zod';
import { snapshotOf } from './issue-snapshot';

/** An issue's fields as our queries select them (operations.ts `IssueFields`). */
export const IssueFieldsSchema = z.object({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  url: z.string(),
  priority: z.number(),
  dueDate: z.string().nullish(),
  updatedAt: z.string(),
  trashed: z.boolean().nullish(),
  archivedAt: z.string().nullish(),
  state: z.object({ id: z.string(), name: z.string(), type: z.string(), color: z.string() }).nullish(),
  assignee: z
    .object({ id: z.string(), name: z.string(), displayName: z.string().nullish(), avatarUrl: z.string().nullish() })
    .nullish(),
  team: z.object({ id: z.string(), key: z.string() }).nullish(),
});
/** An issue from Linear's API, with what a link keeps of it (`snapshot`) already mapped. */
export const IssueSchema = IssueFieldsSchema.transform((issue) => ({ ...issue, snapshot: snapshotOf(issue) }));
export type LinearIssue = z.infer<typeof IssueSchema>;

export const TeamSchema = z.object({ id: z.string(), key: z.string(), name: z.string() });
export type LinearTeam = z.infer<typeof TeamSchema>;

export const StateSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  color: z.string(),
  position: z.number(),
});
export type LinearState = z.infer<typeof StateSchema>;

export const UserSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string().nullish(),
  email: z.string().nullish(),
  active: z.boolean().nullish(),
  avatarUrl: z.string().nullish(),
});
export type LinearUser = z.infer<typeof UserSchema>;

export const ViewerSchema = z.object({
  viewer: z.object({ id: z.string(), name: z.string(), email: z.string().nullish() }),
  organization: z.object({ id: z.string(), name: z.string(), urlKey: z.string() }),
});
export type LinearViewer = z.infer<typeof ViewerSchema>;

const nodes = <T extends z.ZodType>(item: T) => z.object({ nodes: z.array(item) });

export const TeamsResponse = z.object({ teams: nodes(TeamSchema) });
export const StatesResponse = z.object({ workflowStates: nodes(StateSchema) });
export const UsersResponse = z.object({
  users: z.object({
    nodes: z.array(UserSchema),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
  }),
});
export const ProjectsResponse = z.object({ projects: nodes(z.object({ id: z.string(), name: z.string() })) });
export const LabelsResponse = z.object({
  issueLabels: nodes(z.object({ id: z.string(), name: z.string(), team: z.object({ id: z.string() }).nullish() })),
});
/**
 * `templateData` is Linear's JSON scalar, "stringified JSON" per the schema; an object is taken
 * as well. What is not a JSON object reads as no pre-filled fields.
 */
const TemplateData = z.unknown().transform((value): Record<string, unknown> => {
  let data = value;
  if (typeof value === 'string') {
    try {
      data = JSON.parse(value);
    } catch {
      data = undefined;
    }
  }
  const record = z.record(z.string(), z.unknown()).safeParse(data);
  return record.success ? record.data : {};
});

export const TemplateSchema = z
  .object({ id: z.string(), name: z.string(), type: z.string(), team: z.object({ id: z.string() }).nullish(), templateData: TemplateData })
  .transform((t) => ({ id: t.id, name: t.name, type: t.type, teamId: t.team?.id ?? null, data: t.templateData }));
/** A template of the workspace; `teamId` null = usable by every team. */
export type LinearTemplate = z.infer<typeof TemplateSchema>;
export const TemplatesResponse = z.object({ templates: z.array(TemplateSchema) });

export const IssueCreateResponse = z.object({ issueCreate: z.object({ success: z.boolean(), issue: IssueSchema.nullish() }) });
export const IssueResponse = z.object({ issue: IssueSchema.nullish() });
export const AttachmentCreateResponse = z.object({
  attachmentCreate: z.object({ success: z.boolean(), attachment: z.object({ id: z.string(), url: z.string() }).nullish() }),
});

export const AttachmentsForUrlResponse = z.object({
  attachmentsForURL: z.object({ nodes: z.array(z.object({ id: z.string(), url: z.string(), issue: z.object({ id: z.string() }).nullish() })) }),
});
export const AttachmentDeleteResponse = z.object({ attachmentDelete: z.object({ success: z.boolean() }) });
export const SearchIssuesResponse = z.object({
  searchIssues: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        identifier: z.string(),
        title: z.string(),
        url: z.string(),
        state: z.object({ name: z.string(), type: z.string(), color: z.string() }).nullish(),
      }),
    ),
  }),
});
export type LinearSearchResult = z.infer<typeof SearchIssuesResponse>['searchIssues']['nodes'][number];
export const IssuesResponse = z.object({ issues: z.object({ nodes: z.array(IssueSchema) }) });
export const WebhookCreateResponse = z.object({
  webhookCreate: z.object({ success: z.boolean(), webhook: z.object({ id: z.string(), enabled: z.boolean() }).nullish() }),
});

const CommentSchema = z.object({
  id: z.string(),
  body: z.string(),
  createdAt: z.string(),
  user: z.object({ id: z.string(), name: z.string() }).nullish(),
  parent: z.object({ id: z.string(), user: z.object({ id: z.string() }).nullish() }).nullish(),
  issue: z.object({ id: z.string() }).nullish(),
});
export type LinearComment = z.infer<typeof CommentSchema>;
export const CommentsResponse = z.object({
  comments: z.object({ nodes: z.array(CommentSchema), pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }) }),
});

export const CommentCreateResponse = z.object({ commentCreate: z.object({ success: z.boolean(), comment: z.object({ id: z.string() }).nullish() }) });

/** A comment with our id, generated and stored before the call (a retry with it cannot make a second). */
export interface CommentCreateInput {
  id: string;
  issueId: string;
  body: string;
  /** Only for OAuth apps in `actor=app` mode: the comment shows this name (and icon) as its author. */
  createAsUser?: string;
  displayIconUrl?: string;
}

/** What we send to create an issue: the id is ours, generated before the call (idempotent retries). */
export interface IssueCreateInput {
  id: string;
  teamId: string;
  title: string;
  description: string;
  priority: number;
  dueDate?: string;
  assigneeId?: string;
  stateId?: string;
  projectId?: string;
  labelIds?: string[];
  /** Only for OAuth apps in `actor=app` mode: the issue shows this name (and icon) as its creator. */
  createAsUser?: string;
  displayIconUrl?: string;
  /** Linear applies the template first; every field above that we send overrides the template's. */
  templateId?: string;
}

export interface AttachmentInput {
  issueId: string;
  url: string;
  title: string;
  subtitle?: string;
  metadata?: Record<string, string | number>;
}

export type { CustomerNeedInput, CustomerUpsertInput, LinearCustomerNeed } from './customer-schemas';
