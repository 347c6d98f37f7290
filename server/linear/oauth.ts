/**
 * Linear's OAuth 2.0 endpoints (https://linear.app/developers/oauth-2-0-authentication): the
 * authorize URL (`actor=app`, comma-separated scopes), the token endpoint (form-encoded; code
 * exchange and refresh, which rotates the refresh token) and revoke. A refused grant
 * (`invalid_grant`) is `linear_reconnect_needed`: no retry can help, an admin must reconnect.
 */
import { z } from 'zod';
import type { LinearOAuthConfig } from '../config';
import type { LinearOAuthTokens } from '../db/repos/linear-oauth';
import { AppError } from '../errors';
import { isTimeout } from '../kommo/request';

const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  // Apps created before 2023-12-01 get the scope as an array.
  scope: z.union([z.string(), z.array(z.string())]).optional(),
});
const ErrorAnswerSchema = z.object({ error: z.string(), error_description: z.string().optional() }).partial();

export interface LinearOAuthClient {
  authorizeUrl(state: string, options?: { admin?: boolean }): string;
  exchangeCode(code: string): Promise<LinearOAuthTokens>;
  refresh(refreshToken: string): Promise<LinearOAuthTokens>;
  /** Revokes the grant of `token` at Linear; a token Linear no longer knows counts as revoked. */
  revoke(token: string): Promise<void>;
}

export function createLinearOAuthClient(config: LinearOAuthConfig, timeoutMs: number): LinearOAuthClient {
  async function post(url: string, form: Record<string, string>): Promise<{ status: number; json: unknown }> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(timeoutMs),
        // The body carries the client secret: it goes to Linear and nowhere it redirects.
        redirect: 'manual',
      });
    } catch (error) {
      throw new AppError('linear_unavailable', isTimeout(error) ? 'Linear did not answer the OAuth request in time' : 'Linear could not be reached for OAuth', { cause: error });
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  }

  async function tokens(form: Record<string, string>, what: string): Promise<LinearOAuthTokens> {
    const { status, json } = await post(config.tokenUrl, { ...form, client_id: config.clientId, client_secret: config.clientSecret });
    if (status >= 500 || status === 429) throw new AppError('linear_unavailable', `Linear's token endpoint failed with HTTP ${status}`);
    if (status !== 200) {
      const error = ErrorAnswerSchema.safeParse(json);
      const code = error.success ? (error.data.error ?? `HTTP ${status}`) : `HTTP ${status}`;
      if (code === 'invalid_client') throw new AppError('linear_unauthorized', 'Linear refused the OAuth client: check LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET');
      throw new AppError('linear_reconnect_needed', `Linear refused ${what} (${code}); connect Linear again in the settings`);
    }
    const parsed = TokenAnswerSchema.safeParse(json);
    if (!parsed.success) throw new AppError('linear_unavailable', "Linear's token answer has an unexpected shape");
    const scope = parsed.data.scope ?? '';
    return {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      expiresAt: new Date(Date.now() + parsed.data.expires_in * 1000),
      scope: Array.isArray(scope) ? scope.join(' ') : scope,
    };
  }

  return {
    authorizeUrl(state, options = {}) {
      const scopes = options.admin && !config.scopes.includes('admin') ? [...config.scopes, 'admin'] : config.scopes;
      const url = new URL(config.authorizeUrl);
      url.search = new URLSearchParams({
        client_id: config.clientId,
        redirect_uri: config.redirectUri,
        response_type: 'code',
        scope: scopes.join(','),
        state,
        actor: 'app',
        prompt: 'consent',
      }).toString();
      return url.toString();
    },
    exchangeCode: (code) => tokens({ grant_type: 'authorization_code', code, redirect_uri: config.redirectUri }, 'the authorization code'),
    refresh: (refreshToken) => tokens({ grant_type: 'refresh_token', refresh_token: refreshToken }, 'the refresh token'),
    async revoke(token) {
      const { status } = await post(config.revokeUrl, { token, client_id: config.clientId, client_secret: config.clientSecret });
      if (status >= 500 || status === 429) throw new AppError('linear_unavailable', `Linear's revoke endpoint failed with HTTP ${status}`);
    },
  };
}
