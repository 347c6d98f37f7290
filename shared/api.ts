/**
 * Request and response schemas of the widget ↔ server API. Both bundles import this file, so it
 * stays free of Node and DOM imports, and uses zod's tree-shakable `zod/mini` build to keep the
 * widget's script small.
 */
import * as z from 'zod/mini';

export const IssueStateSchema = z.object({
  name: z.string(),
  type: z.string(),
  color: z.string(),
});

export const IssueViewSchema = z.object({
  issueId: z.string(),
  identifier: z.string(),
  title: z.string(),
  url: z.string(),
  state: z.nullable(IssueStateSchema),
  assignee: z.nullable(z.object({ name: z.string(), avatarUrl: z.nullable(z.string()) })),
  priority: z.number().check(z.int(), z.minimum(0), z.maximum(4)),
  dueDate: z.nullable(z.string()),
  /** When our copy of the issue was last confirmed from Linear (ISO). */
  syncedAt: z.nullable(z.string()),
  /** The issue was deleted or trashed in Linear. */
  deleted: z.boolean(),
});
export type IssueView = z.infer<typeof IssueViewSchema>;

/** Where a link's creation flow stands; `linked` is the normal state. */
export const LinkStatusSchema = z.enum(['creating', 'retrying', 'failed', 'linked']);
export type LinkStatus = z.infer<typeof LinkStatusSchema>;

export const ProblemSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const LinkViewSchema = z.object({
  linkId: z.string(),
  status: LinkStatusSchema,
  issue: z.nullable(IssueViewSchema),
  /** Why the last attempt failed (retrying or failed). */
  problem: z.nullable(ProblemSchema),
  /** Non-fatal remarks, e.g. the manager has no Linear user, so the issue is unassigned. */
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  createdAt: z.string(),
  /** What made the issue: a rule's trigger stage or a Digital Pipeline action (absent: the card, a manual link, or older). */
  trigger: z.optional(z.object({ source: z.enum(['stage', 'dp']), rule: z.nullable(z.string()), stage: z.nullable(z.string()) })),
  /** The last comment from Linear on the issue (when comments both ways are on); optional for older servers. */
  lastComment: z.optional(z.nullable(z.object({ author: z.string(), text: z.string(), at: z.string() }))),
  /** The last task a follow-up made for the deal's manager (`due` null when unknown); optional for older servers. */
  lastTask: z.optional(z.nullable(z.object({ text: z.string(), due: z.nullable(z.string()), at: z.string() }))),
});
export type LinkView = z.infer<typeof LinkViewSchema>;

/**
 * Why Kommo refuses the account: `unpaid` (HTTP 402), `restricted` (403 on the account itself),
 * `unauthorized` (401 even after a token refresh). Won deals wait and are created when it answers.
 */
export const KommoAccessProblemSchema = z.enum(['unpaid', 'restricted', 'unauthorized']);
export type KommoAccessProblem = z.infer<typeof KommoAccessProblemSchema>;

export const KommoAccessViewSchema = z.object({
  problem: KommoAccessProblemSchema,
  /** When Kommo first refused (ISO). */
  since: z.string(),
  /** When we last asked Kommo whether it answers again (ISO). */
  checkedAt: z.string(),
});
export type KommoAccessView = z.infer<typeof KommoAccessViewSchema>;

export const LeadLinksResponseSchema = z.object({
  leadId: z.number().check(z.int()),
  /** False until Linear is connected and a team is chosen. */
  configured: z.boolean(),
  /** Null while Kommo answers; else why it refuses the account (the card says so). */
  kommoAccess: z.nullable(KommoAccessViewSchema),
  /**
   * Linear's side: `disconnected` once it was set up and then removed, `reconnect_needed` while
   * the "Connect Linear" grant is over (refused renewal, app removed). Optional for older servers.
   */
  linearAccess: z.optional(z.enum(['connected', 'not_connected', 'disconnected', 'reconnect_needed'])),
  isAdmin: z.boolean(),
  /** The deal's deadline (YYYY-MM-DD) when its deadline field is set, to flag late due dates. */
  dealDeadline: z.nullable(z.string()),
  links: z.array(LinkViewSchema),
});
export type LeadLinksResponse = z.infer<typeof LeadLinksResponseSchema>;

export const LinkResponseSchema = z.object({ link: LinkViewSchema });
export type LinkResponse = z.infer<typeof LinkResponseSchema>;

export const LinkExistingRequestSchema = z.object({
  /** An identifier such as ENG-42, a Linear issue URL, or an issue UUID. */
  issue: z.string().check(z.trim(), z.minLength(1, 'Give an issue identifier such as ENG-42'), z.maxLength(300)),
});
export type LinkExistingRequest = z.infer<typeof LinkExistingRequestSchema>;

export const SearchResultSchema = z.object({
  issueId: z.string(),
  identifier: z.string(),
  title: z.string(),
  url: z.string(),
  state: z.nullable(IssueStateSchema),
});
export const SearchResponseSchema = z.object({ results: z.array(SearchResultSchema) });
export type SearchResponse = z.infer<typeof SearchResponseSchema>;

/** Every error answer of the API has this body. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.optional(z.string()),
    /** `installation_disabled`: when (ISO time) and how (`kommo_revoke`) the installation was disabled. */
    disabledAt: z.optional(z.string()),
    disabledBy: z.optional(z.string()),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const WIDGET_API_PREFIX = '/api/widget';
