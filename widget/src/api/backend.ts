/**
 * The widget's calls to our server (`/api/widget`, shared/api.ts). Each call goes through the
 * host's `$authorizedAjax`, has a timeout, and validates the answer with the shared schema; any
 * failure becomes a `BackendError` the panel can show. Reading a lead is conditional: the last
 * answer's ETag goes back as If-None-Match, and a 304 returns that very answer again.
 */
import {
  LeadLinksResponseSchema,
  LinkResponseSchema,
  SearchResponseSchema,
  type LeadLinksResponse,
  type LinkView,
  type SearchResponse,
} from '../../../shared/api';
import { BackendError } from './backend-error';
import { createCall, createConditionalGet, DEFAULT_TIMEOUT_MS, type Transport } from './call';

export { DEFAULT_TIMEOUT_MS, type Transport };

/** What the panel shows for a deal. */
const LeadViewSchema = LeadLinksResponseSchema;
export type LeadView = LeadLinksResponse;
export type SearchResult = SearchResponse['results'][number];

/** Everything the panel needs from the server; components receive it as a prop. */
export interface Backend {
  /** The deal's links; the same object as last time when the server says nothing changed. */
  getLead(leadId: number): Promise<LeadView>;
  createIssue(leadId: number): Promise<LinkView>;
  linkExisting(leadId: number, issue: string): Promise<LinkView>;
  unlink(leadId: number, linkId: string): Promise<void>;
  retry(leadId: number, linkId: string): Promise<LinkView>;
  search(query: string): Promise<SearchResult[]>;
}

/** Creates the backend client for a server base URL (read lazily: settings can change). */
export function createBackend(transport: Transport, baseUrl: () => string, timeoutMs = DEFAULT_TIMEOUT_MS): Backend {
  const call = createCall(transport, baseUrl, timeoutMs);
  const conditionalGet = createConditionalGet(transport, baseUrl, timeoutMs);
  let last: { leadId: number; etag: string; lead: LeadView } | null = null;

  const lead = (leadId: number) => `/leads/${encodeURIComponent(String(leadId))}`;
  const link = (leadId: number, linkId: string) => `${lead(leadId)}/links/${encodeURIComponent(linkId)}`;

  return {
    getLead: async (leadId) => {
      const known = last?.leadId === leadId ? last : null;
      const answer = await conditionalGet(lead(leadId), LeadViewSchema, known?.etag ?? null);
      if (answer === 'unchanged') {
        if (known) return known.lead;
        throw new BackendError('invalid_response', 'The server answered 304 to a request that had no ETag');
      }
      last = answer.etag ? { leadId, etag: answer.etag, lead: answer.value } : null;
      return answer.value;
    },
    createIssue: async (leadId) => (await call('POST', `${lead(leadId)}/issues`, LinkResponseSchema, {})).link,
    linkExisting: async (leadId, issue) =>
      (await call('POST', `${lead(leadId)}/links`, LinkResponseSchema, { issue })).link,
    unlink: (leadId, linkId) => call<void>('DELETE', link(leadId, linkId), null),
    retry: async (leadId, linkId) => (await call('POST', `${link(leadId, linkId)}/retry`, LinkResponseSchema, {})).link,
    search: async (query) =>
      (await call('GET', `/linear/search?q=${encodeURIComponent(query)}`, SearchResponseSchema)).results,
  };
}
