/**
 * Kommo OAuth 2.0 token endpoint: authorization code exchange and refresh-token rotation.
 * Always the account's own host, never the shared www domain
 * (https://developers.kommo.com/reference/get-token, https://developers.kommo.com/docs/limitations).
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { isTimeout } from './request';

const TokenResponseSchema = z.object({
  token_type: z.string(),
  expires_in: z.number().int().positive(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
});

export interface KommoTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  timeoutMs: number;
}

/** `https://<host>` for Kommo hosts; plain http only for loopback hosts (tests, the demo). */
export function accountBaseUrl(host: string): string {
  const loopback = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host);
  return `${loopback ? 'http' : 'https'}://${host}`;
}

export async function requestTokens(
  baseUrl: string,
  config: OAuthClientConfig,
  grant: { grant_type: 'authorization_code'; code: string } | { grant_type: 'refresh_token'; refresh_token: string },
): Promise<KommoTokens> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/oauth2/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ client_id: config.clientId, client_secret: config.clientSecret, redirect_uri: config.redirectUri, ...grant }),
      signal: AbortSignal.timeout(config.timeoutMs),
      // The body carries the client secret: it goes to the account's host and nowhere it redirects.
      redirect: 'manual',
    });
  } catch (error) {
    if (isUnknownHost(error)) throw new AppError('kommo_not_found', `There is no Kommo account at ${new URL(baseUrl).host}`, { cause: error });
    throw new AppError('kommo_unavailable', isTimeout(error) ? 'Kommo did not answer the token request in time' : 'Kommo could not be reached for a token', {
      cause: error,
    });
  }
  const text = await response.text().catch(() => '');
  // A code is tried once unless Kommo was briefly unavailable: any other answer (a redirect, a page
  // that is not a token) means this host will not exchange it, and Kommo never sends it again.
  const code = grant.grant_type === 'authorization_code';
  if (response.status >= 300 && response.status < 400) throw new AppError('kommo_rejected', `Kommo's token endpoint redirected (HTTP ${response.status}); not followed`);
  if (response.status >= 500 || response.status === 429) throw new AppError('kommo_unavailable', `Kommo's token endpoint failed with HTTP ${response.status}`);
  if (!response.ok) {
    const what = grant.grant_type === 'authorization_code' ? 'the installation code (it may have expired: install the widget again)' : 'the refresh token (reconnect the Kommo account)';
    throw new AppError('kommo_unauthorized', `Kommo refused ${what}: HTTP ${response.status}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError(code ? 'kommo_rejected' : 'kommo_unavailable', "Kommo's token endpoint answered with something that is not JSON");
  }
  const parsed = TokenResponseSchema.safeParse(json);
  if (!parsed.success) throw new AppError('kommo_rejected', "Kommo's token answer has an unexpected shape");
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    expiresAt: new Date(Date.now() + parsed.data.expires_in * 1000),
  };
}

/** DNS found no such host: no retry can help. */
function isUnknownHost(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'ENOTFOUND';
}
