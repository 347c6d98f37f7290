/**
 * The settings page's calls (shared/settings-api.ts), admin-only on the server: a non-admin gets
 * 403. Same transport, timeout and validation as the panel's client (api/call.ts).
 */
import * as z from 'zod/mini';
import {
  LinearKeyResponseSchema,
  PreviewSchema,
  SettingsViewSchema,
  type Preview,
  type SettingsInput,
  type SettingsView,
} from '../../../shared/settings-api';
import { LinearOAuthCompleteResponseSchema, LinearOAuthStartResponseSchema, type LinearOAuthStartResponse } from '../../../shared/linear-oauth-api';
import { createCall, DEFAULT_TIMEOUT_MS, type Transport } from '../api/call';
import { createBackfillBackend, type BackfillBackend } from './backfill-api';

export type LinearKeyResponse = z.infer<typeof LinearKeyResponseSchema>;

export interface SettingsBackend {
  load(): Promise<SettingsView>;
  save(settings: SettingsInput): Promise<SettingsView>;
  connect(apiKey: string): Promise<LinearKeyResponse>;
  disconnect(): Promise<void>;
  /** The signing secret of a Linear webhook set up by hand. */
  saveLinearWebhookSecret(secret: string): Promise<SettingsView>;
  /** What a deal would become; `settings` = the unsaved form, nothing is created. */
  preview(leadId: number, settings?: SettingsInput): Promise<Preview>;
  /** "Connect Linear": a single-use state and Linear's consent URL for this admin. */
  startLinearOAuth(): Promise<LinearOAuthStartResponse>;
  /** Finishes "Connect Linear" with the code and state the callback window handed over. */
  completeLinearOAuth(code: string, state: string): Promise<{ workspace: string }>;
  /** Revokes the "Connect Linear" grant at Linear and forgets it. */
  disconnectLinearOAuth(): Promise<void>;
  /** The server's origin: the only one whose callback message (code and state) the page believes. */
  serverOrigin(): string;
  /** The backfill of past deals; absent, the page shows no backfill section. */
  backfill?: BackfillBackend;
}

export function createSettingsBackend(transport: Transport, baseUrl: () => string, timeoutMs = DEFAULT_TIMEOUT_MS): SettingsBackend {
  const call = createCall(transport, baseUrl, timeoutMs);
  // Connecting a key and previewing talk to Linear and Kommo: give them longer.
  const slow = createCall(transport, baseUrl, timeoutMs * 2);
  return {
    load: () => call('GET', '/settings', SettingsViewSchema),
    save: (settings) => call('PUT', '/settings', SettingsViewSchema, settings),
    connect: (apiKey) => slow('POST', '/settings/linear-key', LinearKeyResponseSchema, { apiKey }),
    disconnect: () => call<void>('DELETE', '/settings/linear-key', null),
    saveLinearWebhookSecret: (secret) => call('PUT', '/settings/linear-webhook-secret', SettingsViewSchema, { secret }),
    preview: (leadId, settings) =>
      slow('POST', '/settings/preview', PreviewSchema, settings ? { leadId, settings } : { leadId }),
    startLinearOAuth: () => call('POST', '/linear-oauth/start', LinearOAuthStartResponseSchema, {}),
    completeLinearOAuth: (code, state) => slow('POST', '/linear-oauth/complete', LinearOAuthCompleteResponseSchema, { code, state }),
    disconnectLinearOAuth: () => slow<void>('DELETE', '/linear-oauth', null),
    serverOrigin: () => {
      try {
        return new URL(baseUrl()).origin;
      } catch {
        return '';
      }
    },
    backfill: createBackfillBackend(transport, baseUrl, timeoutMs),
  };
}
