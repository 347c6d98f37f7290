/**
 * An `installations` row, parsed into the credential-free Installation and, apart, its decrypted
 * credentials: only the clients, the token provider and the webhook verifiers receive those.
 */
import { z } from 'zod';
import type { SecretBox } from '../../crypto/secret-box';
import { KommoAccessProblemSchema } from '../../../shared/api';
import { LinearOAuthStatusSchema, type Installation, type LinearOAuthStatus } from '../../domain/installation';
import type { KommoAccess } from '../../domain/kommo-access';
import { parseSettings } from '../../domain/settings';
import { integer, nullableInteger, nullableText, nullableTimestamp, parseRow } from '../rows';

export interface InstallationCredentials {
  kommoAccessToken: string | null;
  kommoRefreshToken: string | null;
  kommoTokenExpiresAt: Date | null;
  /** The secret of this installation's Kommo webhook URL (OAuth installs keep it encrypted). */
  kommoWebhookSecret: string | null;
  kommoClientSecret: string | null;
  linearApiKey: string | null;
  linearWebhookSecret: string | null;
  /** The Linear OAuth token pair, when "Connect Linear" was used (it wins over an API key). */
  linearOAuth: { accessToken: string; refreshToken: string; expiresAt: Date | null } | null;
  /** The grant's state; jobs wait while it is not `connected`. */
  linearOAuthStatus: LinearOAuthStatus | null;
}

export interface InstallationRecord {
  installation: Installation;
  credentials: InstallationCredentials;
}

const InstallationRowSchema = z.object({
  id: z.string(),
  mode: z.string(),
  status: z.string(),
  kommo_account_id: nullableInteger,
  kommo_subdomain: nullableText,
  kommo_base_url: z.string(),
  kommo_access_token_enc: nullableText,
  kommo_refresh_token_enc: nullableText,
  kommo_token_expires_at: nullableTimestamp,
  kommo_webhook_secret_enc: nullableText,
  kommo_client_id: nullableText,
  kommo_client_secret_enc: nullableText,
  linear_api_key_enc: nullableText,
  linear_webhook_secret_enc: nullableText,
  linear_webhook_id: nullableText,
  linear_viewer_id: nullableText,
  settings: z.unknown(),
  reconciled_at: nullableTimestamp,
  won_poll_cursor: integer.nullish().transform((v) => v ?? null),
  kommo_webhook_status: nullableText,
  kommo_access_problem: nullableText,
  kommo_access_message: nullableText,
  kommo_access_since: nullableTimestamp,
  kommo_access_checked_at: nullableTimestamp,
  disabled_at: nullableTimestamp,
  disabled_by: nullableText,
  linear_oauth_access_enc: nullableText,
  linear_oauth_refresh_enc: nullableText,
  linear_oauth_expires_at: nullableTimestamp,
  linear_oauth_status: nullableText,
  linear_oauth_message: nullableText,
  linear_organization_id: nullableText,
});
type InstallationRow = z.infer<typeof InstallationRowSchema>;

function toInstallation(r: InstallationRow): Installation {
  return {
    id: r.id,
    mode: r.mode === 'oauth' ? 'oauth' : 'single',
    status: r.status === 'disabled' ? 'disabled' : 'active',
    disabled: r.status === 'disabled' ? { at: r.disabled_at ?? new Date(0), by: 'kommo_revoke' } : null,
    kommoAccountId: r.kommo_account_id,
    kommoSubdomain: r.kommo_subdomain,
    kommoBaseUrl: r.kommo_base_url,
    kommoClientId: r.kommo_client_id,
    linearConnected: r.linear_api_key_enc !== null || linearOAuthOf(r) !== null,
    linearOAuth: linearOAuthOf(r),
    linearWebhookConfigured: r.linear_webhook_secret_enc !== null,
    linearWebhookId: r.linear_webhook_id,
    linearViewerId: r.linear_viewer_id,
    settings: parseSettings(typeof r.settings === 'string' ? (JSON.parse(r.settings) as unknown) : r.settings),
    reconciledAt: r.reconciled_at,
    wonPollCursor: r.won_poll_cursor,
    kommoWebhookStatus: r.kommo_webhook_status,
    kommoAccess: accessOf(r),
  };
}

function linearOAuthOf(r: InstallationRow): Installation['linearOAuth'] {
  const status = LinearOAuthStatusSchema.safeParse(r.linear_oauth_status);
  if (!status.success) return null;
  return { status: status.data, organizationId: r.linear_organization_id, message: r.linear_oauth_message };
}

function accessOf(r: InstallationRow): KommoAccess | null {
  const problem = KommoAccessProblemSchema.safeParse(r.kommo_access_problem);
  if (!problem.success) return null;
  const checkedAt = r.kommo_access_checked_at ?? r.kommo_access_since ?? new Date(0);
  return { problem: problem.data, message: r.kommo_access_message ?? '', since: r.kommo_access_since ?? checkedAt, checkedAt };
}

export function installationOf(row: unknown): Installation {
  return toInstallation(parseRow(InstallationRowSchema, row, 'installations'));
}

export function recordOf(row: unknown, box: SecretBox): InstallationRecord {
  const r = parseRow(InstallationRowSchema, row, 'installations');
  const open = (v: string | null) => (v === null ? null : box.decrypt(v));
  return {
    installation: toInstallation(r),
    credentials: {
      kommoAccessToken: open(r.kommo_access_token_enc),
      kommoRefreshToken: open(r.kommo_refresh_token_enc),
      kommoTokenExpiresAt: r.kommo_token_expires_at,
      kommoWebhookSecret: open(r.kommo_webhook_secret_enc),
      kommoClientSecret: open(r.kommo_client_secret_enc),
      linearApiKey: open(r.linear_api_key_enc),
      linearWebhookSecret: open(r.linear_webhook_secret_enc),
      linearOAuth:
        r.linear_oauth_access_enc && r.linear_oauth_refresh_enc
          ? { accessToken: box.decrypt(r.linear_oauth_access_enc), refreshToken: box.decrypt(r.linear_oauth_refresh_enc), expiresAt: r.linear_oauth_expires_at }
          : null,
      linearOAuthStatus: linearOAuthOf(r)?.status ?? null,
    },
  };
}
