/**
 * The widget's calls to our server (`/api/widget`, shared/api.ts). Each call goes through the
 * host's `$authorizedAjax`, has a timeout, and validates the answer with the shared schema; any
 * failure becomes a `BackendError` the panel can show.
 */
import {
  ErrorBodySchema,
  LeadLinksResponseSchema,
  LinkResponseSchema,
  SearchResponseSchema,
  WIDGET_API_PREFIX,
  type LeadLinksResponse,
  type LinkView,
  type SearchResponse,
} from '../../../shared/api';
import type { HostRequest, HostResponse } from '../host/kommo-host';
import { BackendError } from './backend-error';

/** What the panel shows for a deal. */
const LeadViewSchema = LeadLinksResponseSchema;
export type LeadView = LeadLinksResponse;
export type SearchResult = SearchResponse['results'][number];

/** Everything the panel needs from the server; components receive it as a prop. */
export interface Backend {
  getLead(leadId: number): Promise<LeadView>;
  createIssue(leadId: number): Promise<LinkView>;
  linkExisting(leadId: number, issue: string): Promise<LinkView>;
  unlink(leadId: number, linkId: string): Promise<void>;
  retry(leadId: number, linkId: string): Promise<LinkView>;
  search(query: string): Promise<SearchResult[]>;
}

export type Transport = (request: HostRequest) => Promise<HostResponse>;

export const DEFAULT_TIMEOUT_MS = 10_000;

interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

function toError(response: HostResponse): BackendError {
  const { status, textStatus } = response;
  if (status === 401) return new BackendError('unauthorized', 'The widget token was refused', status);
  if (status === 0) {
    return textStatus === 'timeout'
      ? new BackendError('timeout', 'The server did not answer in time')
      : new BackendError('network', 'The server could not be reached');
  }
  const parsed = ErrorBodySchema.safeParse(response.body);
  return parsed.success
    ? new BackendError('server', parsed.data.error.message, status, parsed.data.error.code)
    : new BackendError('server', `HTTP ${status}`, status);
}

/** Rejects with `timeout` if the host never settles (the ajax timeout is the first line). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new BackendError('timeout', 'The server did not answer in time')), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** Creates the backend client for a server base URL (read lazily: settings can change). */
export function createBackend(transport: Transport, baseUrl: () => string, timeoutMs = DEFAULT_TIMEOUT_MS): Backend {
  async function call<T>(method: HostRequest['method'], path: string, schema: Parser<T> | null, body?: unknown): Promise<T> {
    const base = baseUrl();
    if (!base) throw new BackendError('no_server', 'The server_url setting is empty');
    const request: HostRequest = { method, url: `${base}${WIDGET_API_PREFIX}${path}`, timeoutMs };
    if (body !== undefined) request.body = body;
    const response = await withDeadline(transport(request), timeoutMs + 1000);
    if (response.status < 200 || response.status >= 300) throw toError(response);
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) throw new BackendError('invalid_response', `Unexpected answer from ${path}`, response.status);
    return parsed.data;
  }

  const lead = (leadId: number) => `/leads/${encodeURIComponent(String(leadId))}`;
  const link = (leadId: number, linkId: string) => `${lead(leadId)}/links/${encodeURIComponent(linkId)}`;

  return {
    getLead: (leadId) => call('GET', lead(leadId), LeadViewSchema),
    createIssue: async (leadId) => (await call('POST', `${lead(leadId)}/issues`, LinkResponseSchema, {})).link,
    linkExisting: async (leadId, issue) =>
      (await call('POST', `${lead(leadId)}/links`, LinkResponseSchema, { issue })).link,
    unlink: (leadId, linkId) => call<void>('DELETE', link(leadId, linkId), null),
    retry: async (leadId, linkId) => (await call('POST', `${link(leadId, linkId)}/retry`, LinkResponseSchema, {})).link,
    search: async (query) =>
      (await call('GET', `/linear/search?q=${encodeURIComponent(query)}`, SearchResponseSchema)).results,
  };
}
