/**
 * An installation: one Kommo account connected to one Linear workspace, as flows, routes and
 * caches see it. It carries no credential: the clients read those from the repository.
 */
import { z } from 'zod';
import type { KommoAccess } from './kommo-access';
import type { InstallationSettings } from './settings';

export interface Installation {
  id: string;
  mode: 'single' | 'oauth';
  status: 'active' | 'disabled';
  /** When and how it was disabled; only a fresh OAuth grant (or new credentials) enables it again. */
  disabled: { at: Date; by: 'kommo_revoke' } | null;
  kommoAccountId: number | null;
  kommoSubdomain: string | null;
  kommoBaseUrl: string;
  /** The integration's public id (`client_uuid` in Kommo's tokens); not a secret. */
  kommoClientId: string | null;
  /** A Linear API key or a Linear OAuth grant is stored. */
  linearConnected: boolean;
  /** "Connect Linear" (OAuth): null when never connected or disconnected by the admin. */
  linearOAuth: LinearOAuth | null;
  /** A Linear webhook signing secret is stored (registered by us or pasted by an admin). */
  linearWebhookConfigured: boolean;
  /** The webhook we registered in Linear; null when the signing secret was set by hand. */
  linearWebhookId: string | null;
  linearViewerId: string | null;
  settings: InstallationSettings;
  reconciledAt: Date | null;
  wonPollCursor: number | null;
  kommoWebhookStatus: string | null;
  /** Null while Kommo answers; else why it refuses the account (jobs wait for it). */
  kommoAccess: KommoAccess | null;
}

/** Linear is connected and issues have a team to go to. */
export function isConfigured(installation: Installation): boolean {
  return installation.linearConnected && Boolean(installation.settings.team);
}

/**
 * The Linear OAuth grant: `reconnect_needed` when Linear refused the refresh token, `revoked` when
 * the workspace removed the app. In both cases jobs wait (nothing fails) until an admin reconnects.
 */
export const LinearOAuthStatusSchema = z.enum(['connected', 'reconnect_needed', 'revoked']);
export type LinearOAuthStatus = z.infer<typeof LinearOAuthStatusSchema>;

export interface LinearOAuth {
  status: LinearOAuthStatus;
  /** The Linear workspace the grant is for; app webhooks are routed by it. */
  organizationId: string | null;
  /** Why it needs a reconnect, for the settings page. */
  message: string | null;
}
