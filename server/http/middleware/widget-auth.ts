/**
 * Widget calls carry Kommo's one-time token (`X-Auth-Token`, added by `$authorizedAjax`): a JWT
 * signed HS256 with the integration's client secret. The unverified payload only names the
 * account, to find its installation; the token is then verified with that installation's secret,
 * our public origin as audience, and its validity times (30 s leeway).
 */
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { Context, Next } from 'koa';
import type { Installation } from '../../db/repos/installations';
import { AppError } from '../../errors';
import { bindOrigin, originOf } from './cors';

export const CLOCK_TOLERANCE_SECONDS = 30;

export interface WidgetAuth {
  installation: Installation;
  accountId: number;
  userId: number | null;
  isAdmin: boolean;
}

/** Active installations by Kommo account and origin, kept in memory for a few seconds. */
export interface WidgetInstallations {
  /** `issuer` (the token's `iss` origin) finds a single-account installation whose account id is not learned yet. */
  forAccount(accountId: number, issuer: string | undefined): Promise<Installation | undefined>;
  /** Whether a request from this origin belongs to an active installation (CORS preflight). */
  knowsOrigin(origin: string): Promise<boolean>;
  /** Forget cached installations (after their settings or credentials changed). */
  invalidate(): void;
}

export function createWidgetInstallations(
  source: { findByAccountId(accountId: number): Promise<Installation | undefined>; listActive(): Promise<Installation[]> },
  ttlMs = 5000,
): WidgetInstallations {
  const byAccount = new Map<number, { value: Installation | undefined; expiresAt: number }>();
  let active: { value: Promise<Installation[]>; expiresAt: number } | undefined;
  const activeList = () => {
    if (!active || active.expiresAt <= Date.now()) {
      const value = source.listActive();
      active = { value, expiresAt: Date.now() + ttlMs };
      value.catch(() => (active = undefined));
    }
    return active.value;
  };
  return {
    async forAccount(accountId, issuer) {
      const hit = byAccount.get(accountId);
      let found = hit && hit.expiresAt > Date.now() ? hit.value : undefined;
      if (!hit || hit.expiresAt <= Date.now()) {
        const row = await source.findByAccountId(accountId);
        found = row?.status === 'active' ? row : undefined;
        if (byAccount.size > 10_000) byAccount.clear();
        byAccount.set(accountId, { value: found, expiresAt: Date.now() + ttlMs });
      }
      if (found || !issuer) return found;
      const pending = (await activeList()).filter((i) => i.mode === 'single' && i.kommoAccountId === null);
      return pending.find((i) => originOf(i.kommoBaseUrl) === issuer);
    },
    async knowsOrigin(origin) {
      return (await activeList()).some((i) => originOf(i.kommoBaseUrl) === origin);
    },
    invalidate() {
      byAccount.clear();
      active = undefined;
    },
  };
}

const unauthorized = (message: string) => new AppError('unauthorized', message);

function verifyFailure(error: unknown, audience: string): AppError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const claim = typeof error === 'object' && error !== null && 'claim' in error ? String((error as { claim: unknown }).claim) : '';
  if (code === 'ERR_JWT_EXPIRED') return unauthorized('The X-Auth-Token has expired; reload the Kommo page');
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
    return unauthorized("The X-Auth-Token has a bad signature: it was not signed with this integration's secret key");
  }
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return unauthorized('The X-Auth-Token must be signed with HS256');
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'aud') {
    return unauthorized(`The X-Auth-Token has the wrong audience: it is meant for another server, not ${audience}`);
  }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'nbf') return unauthorized('The X-Auth-Token is not valid yet; check the clock');
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return unauthorized(`The X-Auth-Token's "${claim}" claim is missing or invalid`);
  return unauthorized('The X-Auth-Token is not a valid token');
}

const authOf = new WeakMap<Context, WidgetAuth>();

/** The verified caller of a widget route; only valid after `widgetAuth`. */
export function widgetAuthOf(ctx: Context): WidgetAuth {
  const auth = authOf.get(ctx);
  if (!auth) throw new AppError('internal', 'widget route without widgetAuth');
  return auth;
}

export function widgetAuth(deps: { publicUrl: string; installations: WidgetInstallations }) {
  const audience = originOf(deps.publicUrl) ?? deps.publicUrl;
  return async (ctx: Context, next: Next): Promise<void> => {
    const token = ctx.get('x-auth-token').trim();
    if (!token) throw unauthorized('Missing X-Auth-Token header: call this API from the Kommo widget ($authorizedAjax)');
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw unauthorized('The X-Auth-Token is not a valid JWT');
    }
    const accountId = unverified.account_id;
    if (typeof accountId !== 'number' || !Number.isSafeInteger(accountId) || accountId <= 0) {
      throw unauthorized('The X-Auth-Token carries no account_id');
    }
    const issuer = typeof unverified.iss === 'string' ? originOf(unverified.iss) : undefined;
    const installation = await deps.installations.forAccount(accountId, issuer);
    if (!installation) throw unauthorized(`Unknown account ${accountId}: the integration is not connected for it on this server`);
    if (!installation.kommoClientSecret) {
      throw new AppError('not_configured', "The integration's secret key is not configured on the server (KOMMO_CLIENT_SECRET)");
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, new TextEncoder().encode(installation.kommoClientSecret), {
        algorithms: ['HS256'],
        audience: [audience, `${audience}/`],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw verifyFailure(error, audience);
    }
    if (installation.kommoClientId && payload.client_uuid !== installation.kommoClientId) {
      throw unauthorized('The X-Auth-Token was issued for another integration (client_uuid)');
    }
    bindOrigin(ctx, installation, issuer);
    authOf.set(ctx, {
      installation,
      accountId,
      userId: typeof payload.user_id === 'number' ? payload.user_id : null,
      isAdmin: payload.is_admin === true,
    });
    await next();
  };
}
