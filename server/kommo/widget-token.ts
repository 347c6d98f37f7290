/**
 * Kommo's one-time token (`X-Auth-Token`, added by `$authorizedAjax`): a JWT signed HS256 with the
 * integration's client secret (https://developers.kommo.com/docs/one-time-tokens). The unverified
 * payload only names the account, to find its installation; the token is then verified with that
 * installation's secret, our public origin as audience, and its validity times (30 s leeway); a
 * token meant to live longer than Kommo's 30 minutes is refused.
 */
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { Installation } from '../domain/installation';
import { AppError } from '../errors';
import { originOf } from '../origin';

export const CLOCK_TOLERANCE_SECONDS = 30;
/**
 * The longest lifetime (`exp` − `iat`) accepted: Kommo issues its one-time tokens for 30 minutes;
 * one more minute of slack. A longer-lived token was not issued by Kommo (a leaked client secret
 * must not mint tokens that stay valid for days).
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 31 * 60;

/** The verified caller of a widget request. */
export interface WidgetCaller {
  installation: Installation;
  accountId: number;
  userId: number | null;
  isAdmin: boolean;
  /** The token's `iss` origin (the Kommo page that asked). */
  issuer: string | undefined;
}

export interface WidgetTokenSource {
  forAccount(accountId: number, issuer: string | undefined): Promise<Installation | undefined>;
  /** The integration's client secret the account's tokens are signed with. */
  clientSecretOf(installationId: string): Promise<string | null>;
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

export function createWidgetTokenVerifier(source: WidgetTokenSource, publicUrl: string): (token: string) => Promise<WidgetCaller> {
  const audience = originOf(publicUrl) ?? publicUrl;
  return async (token) => {
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
    const installation = await source.forAccount(accountId, issuer);
    if (!installation) throw unauthorized(`Unknown account ${accountId}: the integration is not connected for it on this server`);
    const secret = await source.clientSecretOf(installation.id);
    if (!secret) {
      throw new AppError('not_configured', "The integration's secret key is not configured on the server (KOMMO_CLIENT_SECRET)");
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
        algorithms: ['HS256'],
        audience: [audience, `${audience}/`],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      throw verifyFailure(error, audience);
    }
    const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
    if (lifetime > MAX_TOKEN_LIFETIME_SECONDS) {
      throw unauthorized(`The X-Auth-Token is valid for ${lifetime} s; Kommo's one-time tokens live 30 minutes (at most ${MAX_TOKEN_LIFETIME_SECONDS} s accepted)`);
    }
    if (installation.kommoClientId && payload.client_uuid !== installation.kommoClientId) {
      throw unauthorized('The X-Auth-Token was issued for another integration (client_uuid)');
    }
    return {
      installation,
      accountId,
      userId: typeof payload.user_id === 'number' ? payload.user_id : null,
      isAdmin: payload.is_admin === true,
      issuer,
    };
  };
}
