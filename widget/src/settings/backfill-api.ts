/** The settings page's backfill calls (shared/backfill-api.ts), admin-only on the server. */
import {
  BackfillDryRunResponseSchema,
  BackfillRunViewSchema,
  BackfillStatusResponseSchema,
  type BackfillDryRunResponse,
  type BackfillRequest,
  type BackfillRunView,
} from '../../../shared/backfill-api';
import { createCall, DEFAULT_TIMEOUT_MS, type Transport } from '../api/call';

export interface BackfillBackend {
  dryRun(range: BackfillRequest): Promise<BackfillDryRunResponse>;
  start(range: BackfillRequest): Promise<BackfillRunView>;
  current(): Promise<BackfillRunView | null>;
  cancel(): Promise<BackfillRunView | null>;
}

export function createBackfillBackend(transport: Transport, baseUrl: () => string, timeoutMs = DEFAULT_TIMEOUT_MS): BackfillBackend {
  const call = createCall(transport, baseUrl, timeoutMs);
  // The dry run lists every page of deals of the range from Kommo: give it longer.
  const slow = createCall(transport, baseUrl, timeoutMs * 6);
  return {
    dryRun: (range) => slow('POST', '/backfill/dry-run', BackfillDryRunResponseSchema, range),
    start: (range) => call('POST', '/backfill', BackfillRunViewSchema, range),
    current: async () => (await call('GET', '/backfill', BackfillStatusResponseSchema)).run,
    cancel: async () => (await call('DELETE', '/backfill', BackfillStatusResponseSchema)).run,
  };
}
