/**
 * The environment of a real server process in single-account mode against the loopback fakes,
 * and the Won delivery Kommo would post to it: what the crash, outage, two-instance and
 * benchmark runs all start from. Periodic jobs and webhook registration are off unless asked.
 */
import { randomBytes } from 'node:crypto';
import type { FakeKommo } from '../fakes/kommo';
import { DEFAULT_API_KEY, type FakeLinear } from '../fakes/linear';
import { kommoStatusWebhook } from '../fixtures/kommo-webhook';

export interface SingleAccountEnvInput {
  kommo: FakeKommo;
  linear: FakeLinear;
  /** DATABASE_URL or DATA_DIR. */
  database: Record<string, string>;
  webhookSecret: string;
  encryptionKey?: string;
  /** Overrides and additions (timeouts, rate limit, secrets). */
  extra?: Record<string, string>;
}

export function singleAccountEnv(input: SingleAccountEnvInput): Record<string, string> {
  return {
    ...input.database,
    ENCRYPTION_KEY: input.encryptionKey ?? randomBytes(32).toString('base64'),
    LINEAR_API_URL: input.linear.url,
    KOMMO_BASE_URL: input.kommo.baseUrl,
    KOMMO_ACCESS_TOKEN: input.kommo.accessToken,
    KOMMO_WEBHOOK_SECRET: input.webhookSecret,
    LINEAR_API_KEY: DEFAULT_API_KEY,
    LINEAR_TEAM: 'ENG',
    RECONCILE_INTERVAL_SECONDS: '0',
    WON_POLL_INTERVAL_SECONDS: '0',
    REGISTER_WEBHOOKS: 'false',
    ...input.extra,
  };
}

/** Kommo's delivery for a deal of the fake's account moved to Won (from the first open stage). */
export function wonDelivery(kommo: FakeKommo, lead: { id: number; pipelineId: number }): string {
  return kommoStatusWebhook({
    accountId: kommo.account.accountId,
    subdomain: kommo.account.subdomain,
    leads: [{ id: lead.id, statusId: kommo.defaults.wonStatusId, pipelineId: lead.pipelineId, oldStatusId: kommo.defaults.openStatusIds[0] ?? 1 }],
  });
}

/** Posts a form-encoded Kommo delivery to a server's webhook URL for `secret`. */
export function postKommoDelivery(serverUrl: string, secret: string, body: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${serverUrl}/webhooks/kommo/${secret}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    ...(signal ? { signal } : {}),
  });
}
