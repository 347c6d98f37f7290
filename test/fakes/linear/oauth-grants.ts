/**
 * The fake Linear's OAuth 2.0 bookkeeping, shaped like https://linear.app/developers/oauth-2-0-authentication:
 * authorization codes (single use, 10 minutes), 24 h access tokens (configurable here), and
 * refresh tokens that rotate on every refresh. A used refresh token may be replayed for 30 minutes
 * and gets the same answer again (Linear's recovery for a lost response); after that, or once the
 * grant is revoked, the token endpoint answers `invalid_grant`.
 */
import { randomBytes } from 'node:crypto';

export interface FakeOAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** The app's webhook URL: Linear creates it in every workspace that authorizes the app. */
  webhookUrl?: string;
  webhookSecret?: string;
}

/** Scopes Linear documents; `read` is always granted. */
export const LINEAR_SCOPES = ['read', 'write', 'issues:create', 'comments:create', 'timeSchedule:write', 'admin', 'app:assignable', 'app:mentionable'] as const;

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token: string;
}

interface Grant {
  id: string;
  organizationId: string;
  scope: string[];
  actor: 'user' | 'app';
  revoked: boolean;
}

interface CodeRecord {
  grant: Grant;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshRecord {
  grant: Grant;
  /** Set once used: the answer it got, replayable until `replayUntil`. */
  answer?: TokenAnswer;
  replayUntil?: number;
}

export type TokenOutcome = { ok: true; answer: TokenAnswer } | { ok: false; status: number; error: string; description: string };

const CODE_LIFETIME_MS = 10 * 60_000;
const REPLAY_WINDOW_MS = 30 * 60_000;
const token = (prefix: string) => `${prefix}_${randomBytes(24).toString('hex')}`;

export class FakeOAuthGrants {
  app: FakeOAuthApp | undefined;
  /** Seconds an access token lives; Linear's is 86399. */
  accessTokenTtlSeconds = 86_399;
  /** Token endpoint calls per grant type, for tests that count refreshes. */
  readonly tokenCalls = { authorization_code: 0, refresh_token: 0 };
  readonly revokeCalls: string[] = [];
  /** Every token pair handed out, for tests that check none leaks into logs or answers. */
  readonly issued: TokenAnswer[] = [];
  private readonly codes = new Map<string, CodeRecord>();
  private readonly access = new Map<string, { grant: Grant; expiresAt: number }>();
  private readonly refresh = new Map<string, RefreshRecord>();
  private readonly listeners = new Set<(event: { kind: 'authorized' | 'revoked'; organizationId: string }) => void>();

  onGrantChange(listener: (event: { kind: 'authorized' | 'revoked'; organizationId: string }) => void): void {
    this.listeners.add(listener);
  }

  /** What the consent page approved: a code for `redirectUri`. */
  issueCode(input: { organizationId: string; redirectUri: string; scope: string[]; actor: 'user' | 'app' }): string {
    const code = token('code');
    const grant: Grant = { id: token('grant'), organizationId: input.organizationId, scope: input.scope, actor: input.actor, revoked: false };
    this.codes.set(code, { grant, redirectUri: input.redirectUri, expiresAt: Date.now() + CODE_LIFETIME_MS, used: false });
    return code;
  }

  exchangeCode(code: string, redirectUri: string | undefined): TokenOutcome {
    this.tokenCalls.authorization_code += 1;
    const record = this.codes.get(code);
    if (!record || record.used || record.expiresAt < Date.now() || record.grant.revoked) {
      return invalidGrant('The authorization code is invalid, expired or already used.');
    }
    if (redirectUri !== record.redirectUri) return invalidGrant('redirect_uri does not match the one of the authorization request.');
    record.used = true;
    const answer = this.mint(record.grant);
    for (const listener of this.listeners) listener({ kind: 'authorized', organizationId: record.grant.organizationId });
    return { ok: true, answer };
  }

  refreshWith(refreshToken: string): TokenOutcome {
    this.tokenCalls.refresh_token += 1;
    const record = this.refresh.get(refreshToken);
    if (!record || record.grant.revoked) return invalidGrant('Token has been expired or revoked.');
    if (record.answer) {
      if ((record.replayUntil ?? 0) >= Date.now()) return { ok: true, answer: record.answer };
      return invalidGrant('Token has been expired or revoked.');
    }
    record.answer = this.mint(record.grant);
    record.replayUntil = Date.now() + REPLAY_WINDOW_MS;
    return { ok: true, answer: record.answer };
  }

  /** The workspace (organization id) of a bearer token; 'expired' for an outdated or revoked one. */
  organizationOf(accessToken: string): string | 'expired' | undefined {
    const found = this.access.get(accessToken);
    if (!found) return undefined;
    if (found.grant.revoked || found.expiresAt <= Date.now()) return 'expired';
    return found.grant.organizationId;
  }

  /** The `actor` an access token's grant was authorized with. */
  actorOf(accessToken: string): 'user' | 'app' | undefined {
    return this.access.get(accessToken)?.grant.actor;
  }

  /** `POST /oauth/revoke`: revoking any token of a grant revokes the whole grant. */
  revokeToken(value: string): boolean {
    this.revokeCalls.push(value);
    const grant = this.access.get(value)?.grant ?? this.refresh.get(value)?.grant;
    if (!grant || grant.revoked) return false;
    this.revokeGrant(grant);
    return true;
  }

  /** A workspace admin removes the app in Linear: every grant of that workspace ends. */
  revokeWorkspace(organizationId: string): void {
    const grants = new Set([...this.access.values(), ...this.refresh.values()].map((r) => r.grant).filter((g) => g.organizationId === organizationId && !g.revoked));
    for (const grant of grants) this.revokeGrant(grant);
  }

  /** Every access token issued so far is past its expiry (the next call gets a 401). */
  expireAccessTokens(): void {
    for (const record of this.access.values()) record.expiresAt = Date.now() - 1000;
  }

  /** Refresh tokens are refused from now on (as after a revoke Linear did not tell us about). */
  refuseRefreshTokens(): void {
    for (const record of this.refresh.values()) record.grant.revoked = true;
  }

  reset(): void {
    this.codes.clear();
    this.access.clear();
    this.refresh.clear();
    this.tokenCalls.authorization_code = 0;
    this.tokenCalls.refresh_token = 0;
    this.revokeCalls.length = 0;
    this.issued.length = 0;
    this.accessTokenTtlSeconds = 86_399;
  }

  private revokeGrant(grant: Grant): void {
    grant.revoked = true;
    for (const listener of this.listeners) listener({ kind: 'revoked', organizationId: grant.organizationId });
  }

  private mint(grant: Grant): TokenAnswer {
    const accessToken = token('lin_oauth');
    const refreshToken = token('lin_refresh');
    this.access.set(accessToken, { grant, expiresAt: Date.now() + this.accessTokenTtlSeconds * 1000 });
    this.refresh.set(refreshToken, { grant });
    const answer: TokenAnswer = { access_token: accessToken, token_type: 'Bearer', expires_in: this.accessTokenTtlSeconds, scope: grant.scope.join(' '), refresh_token: refreshToken };
    this.issued.push(answer);
    return answer;
  }
}

function invalidGrant(description: string): TokenOutcome {
  return { ok: false, status: 400, error: 'invalid_grant', description };
}
