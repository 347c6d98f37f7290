import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { problem, type Reply } from './http';

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Access token lifetime reported in `expires_in`; Kommo reports 86400. */
  expiresIn: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
}

const DEFAULT_CONFIG: OAuthConfig = {
  clientId: 'kommo_test_client_id',
  clientSecret: 'kommo_test_client_secret',
  redirectUri: 'https://app.example.test/oauth/kommo/callback',
  expiresIn: 86400,
};

/** Kommo's authorization codes live 20 minutes. */
const CODE_TTL_MS = 20 * 60 * 1000;

const TokenRequest = z.object({
  client_id: z.string(),
  client_secret: z.string(),
  redirect_uri: z.string(),
  grant_type: z.enum(['authorization_code', 'refresh_token']),
  code: z.string().optional(),
  refresh_token: z.string().optional(),
});

const token = (prefix: string): string => `${prefix}_${randomBytes(18).toString('base64url')}`;

/** The account's OAuth state: accepted access tokens, live codes and single-use refresh tokens. */
export class OAuthServer {
  config: OAuthConfig = { ...DEFAULT_CONFIG };
  /** Calls to `POST /oauth2/access_token`, successful or not. */
  tokenCalls = 0;
  /** Every token pair handed out, oldest first. */
  readonly issued: IssuedTokens[] = [];
  private readonly accessTokens = new Set<string>();
  private readonly refreshTokens = new Set<string>();
  private readonly codes = new Map<string, number>();

  constructor(initialAccessToken: string) {
    this.accessTokens.add(initialAccessToken);
  }

  configure(config: Partial<OAuthConfig>): void {
    this.config = { ...this.config, ...config };
  }

  /** A fresh authorization code, as Kommo would pass to the redirect URI on install. */
  issueCode(): string {
    const code = token('def');
    this.codes.set(code, Date.now() + CODE_TTL_MS);
    return code;
  }

  /** Makes `accessToken` the only accepted token (simulates expiry of all others). */
  setAccessToken(accessToken: string): void {
    this.accessTokens.clear();
    this.accessTokens.add(accessToken);
  }

  accepts(accessToken: string): boolean {
    return this.accessTokens.has(accessToken);
  }

  /** The integration was disabled: no token works any more. */
  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.codes.clear();
  }

  reset(accessToken: string): void {
    this.revokeAll();
    this.accessTokens.add(accessToken);
    this.config = { ...DEFAULT_CONFIG };
    this.tokenCalls = 0;
    this.issued.length = 0;
  }

  handleTokenRequest(body: unknown): Reply {
    this.tokenCalls += 1;
    const parsed = TokenRequest.safeParse(body);
    if (!parsed.success) return problem(400, 'Invalid data', { hint: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const req = parsed.data;
    if (req.client_id !== this.config.clientId || req.client_secret !== this.config.clientSecret) {
      return problem(401, 'Client authentication failed', { hint: 'Unknown client_id or wrong client_secret' });
    }
    if (req.redirect_uri !== this.config.redirectUri) return problem(400, 'Invalid data', { hint: 'redirect_uri does not match the integration' });
    if (req.grant_type === 'authorization_code') {
      const expiresAt = req.code === undefined ? undefined : this.codes.get(req.code);
      if (req.code === undefined || expiresAt === undefined || expiresAt < Date.now()) {
        return problem(400, 'Invalid data', { hint: 'Authorization code has expired or been revoked' });
      }
      this.codes.delete(req.code);
    } else {
      if (req.refresh_token === undefined || !this.refreshTokens.has(req.refresh_token)) {
        return problem(400, 'Invalid data', { hint: 'Token has been revoked' });
      }
      this.refreshTokens.delete(req.refresh_token);
    }
    const pair: IssuedTokens = { accessToken: token('kommo_at'), refreshToken: token('kommo_rt') };
    this.accessTokens.add(pair.accessToken);
    this.refreshTokens.add(pair.refreshToken);
    this.issued.push(pair);
    const tokens = {
      token_type: 'Bearer',
      expires_in: this.config.expiresIn,
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      server_time: Math.floor(Date.now() / 1000),
    };
    return { status: 200, contentType: 'application/json', body: tokens };
  }
}
