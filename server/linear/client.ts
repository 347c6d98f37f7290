/**
 * Our Linear facade: @linear/sdk (pinned to the schema's version) sends our own typed operations
 * through its raw request, one call per need. The SDK has no timeout, so each call gets its own
 * client with an abort signal.
 */
import { AppError } from '../errors';
import { isAlreadyExists, toLinearAppError } from './errors';
import { LINEAR_OPERATIONS } from './operations';
import { loadLinearSdk } from './sdk';
import {
  AttachmentCreateResponse,
  AttachmentDeleteResponse,
  AttachmentsForUrlResponse,
  CommentCreateResponse,
  CommentsResponse,
  type CommentCreateInput,
  type LinearComment,
  IssuesResponse,
  SearchIssuesResponse,
  WebhookCreateResponse,
  type LinearSearchResult,
  IssueCreateResponse,
  IssueResponse,
  LabelsResponse,
  ProjectsResponse,
  StatesResponse,
  TeamsResponse,
  TemplatesResponse,
  UsersResponse,
  ViewerSchema,
  type LinearIssue,
  type LinearState,
  type LinearTeam,
  type LinearTemplate,
  type LinearUser,
  type LinearViewer,
  type AttachmentInput,
  type IssueCreateInput,
} from './schemas';

import type { LinearCredential, LinearTokenSource } from './tokens';
import { customerApi, type LinearCustomerApi, type LinearRun } from './customer-api';

export type { AttachmentInput, IssueCreateInput };

export interface LinearDeps {
  apiUrl: string;
  /** The installation's credential at each call (OAuth token or API key), renewed once after a 401. */
  token: LinearTokenSource;
  timeoutMs: number;
  /** The icon shown next to a `createAsUser` author (OAuth only): our app's logo, served by us. */
  appIconUrl?: string;
  onCall?: (call: { operation: string; ok: boolean; ms: number }) => void;
}

export interface LinearApi extends LinearCustomerApi {
  viewer(): Promise<LinearViewer>;
  teams(): Promise<LinearTeam[]>;
  workflowStates(teamId: string): Promise<LinearState[]>;
  users(): Promise<LinearUser[]>;
  projects(): Promise<Array<{ id: string; name: string }>>;
  labels(): Promise<Array<{ id: string; name: string; teamId: string | null }>>;
  /** The workspace's issue templates (team and workspace ones). */
  templates(): Promise<LinearTemplate[]>;
  createIssue(input: IssueCreateInput): Promise<LinearIssue>;
  /**
   * Creates the issue with our pre-generated id; when an earlier attempt already created it (the
   * id is taken), returns that issue instead. This makes a retried create exactly-once.
   */
  createIssueWithId(input: IssueCreateInput): Promise<LinearIssue>;
  /** By UUID or identifier (ENG-42); undefined when Linear has no such issue. */
  issue(idOrIdentifier: string): Promise<LinearIssue | undefined>;
  upsertAttachment(input: AttachmentInput): Promise<void>;
  /** Removes the back-link of `url` from the issue, if there is one. */
  removeAttachment(issueId: string, url: string): Promise<void>;
  searchIssues(term: string): Promise<LinearSearchResult[]>;
  /** The issues among `ids` changed after `since` (ISO), trashed and archived ones included. */
  issuesChangedSince(ids: string[], since: string | undefined): Promise<LinearIssue[]>;
  /** Creates the comment with our pre-generated id; "conflict on insert" (the id is taken) means an earlier attempt made it. */
  createCommentWithId(input: CommentCreateInput): Promise<void>;
  /** Comments made on any of `issueIds` after `since` (ISO), oldest first. */
  commentsSince(issueIds: string[], since: string): Promise<LinearComment[]>;
  createWebhook(input: { url: string; secret: string; label: string }): Promise<{ id: string }>;
}

const APP_AUTHORSHIP = new Set(['createAsUser', 'displayIconUrl']);

/**
 * `createAsUser` and `displayIconUrl` are only for OAuth apps in `actor=app` mode (IssueCreateInput
 * and CommentCreateInput in Linear's schema): with a personal key the issue is simply the key
 * owner's, so they are left out rather than refused; with OAuth the author gets our icon.
 */
function forCredential(variables: Record<string, unknown>, used: LinearCredential, appIconUrl: string | undefined): Record<string, unknown> {
  const input: unknown = variables.input;
  if (typeof input !== 'object' || input === null || !('createAsUser' in input)) return variables;
  if (used.kind === 'oauth') return appIconUrl && !('displayIconUrl' in input) ? { ...variables, input: { ...input, displayIconUrl: appIconUrl } } : variables;
  return { ...variables, input: Object.fromEntries(Object.entries(input).filter(([key]) => !APP_AUTHORSHIP.has(key))) };
}

export function createLinearApi(deps: LinearDeps): LinearApi {
  const run: LinearRun = async (name, variables, schema) => {
    const credential = await deps.token.current();
    if (!credential.value) throw new AppError('not_configured', 'Linear is not connected: connect Linear (or paste a Linear API key) in the settings');
    const started = performance.now();
    const { LinearClient, AuthenticationLinearError } = await loadLinearSdk();
    const send = (used: LinearCredential) => {
      // Personal keys go as `Authorization: <key>`, OAuth tokens as `Bearer <token>` (the SDK's two options).
      const auth = used.kind === 'oauth' ? { accessToken: used.value } : { apiKey: used.value };
      const sdk = new LinearClient({ ...auth, apiUrl: deps.apiUrl, signal: AbortSignal.timeout(deps.timeoutMs) });
      return sdk.client.rawRequest<unknown, Record<string, unknown>>(LINEAR_OPERATIONS[name], forCredential(variables, used, deps.appIconUrl));
    };
    try {
      const response = await send(credential).catch(async (error: unknown) => {
        // An OAuth access token refused before its expiry (revoked, rotated elsewhere): renew once.
        const renewed = error instanceof AuthenticationLinearError ? await deps.token.renew(credential) : undefined;
        if (!renewed) throw error;
        return send(renewed);
      });
      deps.onCall?.({ operation: name, ok: true, ms: performance.now() - started });
      const parsed = schema.safeParse(response.data);
      if (!parsed.success) {
        throw new AppError('linear_unavailable', `Linear's answer to ${name} has an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`);
      }
      return parsed.data;
    } catch (error) {
      if (error instanceof AppError) throw error;
      deps.onCall?.({ operation: name, ok: false, ms: performance.now() - started });
      throw toLinearAppError(error, name, deps.timeoutMs);
    }
  };

  const api: LinearApi = {
    ...customerApi(run),
    viewer: () => run('viewer', {}, ViewerSchema),
    teams: async () => (await run('teams', {}, TeamsResponse)).teams.nodes,
    workflowStates: async (teamId) => (await run('workflowStates', { teamId }, StatesResponse)).workflowStates.nodes,
    async users() {
      const all: LinearUser[] = [];
      let after: string | undefined;
      for (let page = 0; page < 40; page++) {
        const { users } = await run('users', after ? { after } : {}, UsersResponse);
        all.push(...users.nodes);
        if (!users.pageInfo.hasNextPage || !users.pageInfo.endCursor) break;
        after = users.pageInfo.endCursor;
      }
      return all;
    },
    projects: async () => (await run('projects', {}, ProjectsResponse)).projects.nodes,
    labels: async () =>
      (await run('labels', {}, LabelsResponse)).issueLabels.nodes.map((l) => ({ id: l.id, name: l.name, teamId: l.team?.id ?? null })),
    templates: async () => (await run('templates', {}, TemplatesResponse)).templates.filter((t) => t.type === 'issue'),
    async createIssue(input) {
      const { issueCreate } = await run('issueCreate', { input }, IssueCreateResponse);
      if (!issueCreate.success || !issueCreate.issue) {
        throw new AppError('linear_unavailable', 'Linear did not confirm the issue creation');
      }
      return issueCreate.issue;
    },
    async createIssueWithId(input) {
      try {
        return await api.createIssue(input);
      } catch (error) {
        if (!(error instanceof AppError) || !isAlreadyExists(error)) throw error;
        const existing = await api.issue(input.id);
        if (!existing) throw error;
        return existing;
      }
    },
    async issue(idOrIdentifier) {
      try {
        return (await run('issue', { id: idOrIdentifier }, IssueResponse)).issue ?? undefined;
      } catch (error) {
        if (error instanceof AppError && error.code === 'linear_not_found') return undefined;
        throw error;
      }
    },
    async upsertAttachment(input) {
      const { attachmentCreate } = await run('attachmentCreate', { input }, AttachmentCreateResponse);
      if (!attachmentCreate.success) throw new AppError('linear_unavailable', 'Linear did not confirm the back-link attachment');
    },
    async removeAttachment(issueId, url) {
      const { attachmentsForURL } = await run('attachmentsForUrl', { url }, AttachmentsForUrlResponse);
      for (const attachment of attachmentsForURL.nodes.filter((a) => a.issue?.id === issueId)) {
        await run('attachmentDelete', { id: attachment.id }, AttachmentDeleteResponse);
      }
    },
    searchIssues: async (term) => (await run('searchIssues', { term }, SearchIssuesResponse)).searchIssues.nodes,
    async issuesChangedSince(ids, since) {
      const found: LinearIssue[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        const batch = ids.slice(i, i + 100);
        const filter = { id: { in: batch }, ...(since ? { updatedAt: { gt: since } } : {}) };
        const { issues } = await run('issuesByIds', { filter }, IssuesResponse);
        found.push(...issues.nodes);
      }
      return found;
    },
    async createCommentWithId(input) {
      try {
        const { commentCreate } = await run('commentCreate', { input: { ...input, doNotSubscribeToIssue: true } }, CommentCreateResponse);
        if (!commentCreate.success) throw new AppError('linear_unavailable', 'Linear did not confirm the comment');
      } catch (error) {
        // Linear answers a taken comment id with "conflict on insert of Comment" (HTTP 200, data null).
        if (error instanceof AppError && isAlreadyExists(error)) return;
        throw error;
      }
    },
    async commentsSince(issueIds, since) {
      const found: LinearComment[] = [];
      for (let i = 0; i < issueIds.length; i += 100) {
        const filter = { issue: { id: { in: issueIds.slice(i, i + 100) } }, createdAt: { gt: since } };
        let after: string | undefined;
        // Every page: a comment left out would never be mirrored once the reconciliation moves on.
        for (;;) {
          const { comments } = await run('commentsSince', after ? { filter, after } : { filter }, CommentsResponse);
          found.push(...comments.nodes);
          if (!comments.pageInfo.hasNextPage || !comments.pageInfo.endCursor || comments.pageInfo.endCursor === after) break;
          after = comments.pageInfo.endCursor;
        }
      }
      return found;
    },
    async createWebhook(input) {
      const { webhookCreate } = await run(
        'webhookCreate',
        { input: { url: input.url, secret: input.secret, label: input.label, resourceTypes: ['Issue', 'Comment'], allPublicTeams: true } },
        WebhookCreateResponse,
      );
      if (!webhookCreate.success || !webhookCreate.webhook) throw new AppError('linear_unavailable', 'Linear did not confirm the webhook');
      return { id: webhookCreate.webhook.id };
    },
  };
  return api;
}
