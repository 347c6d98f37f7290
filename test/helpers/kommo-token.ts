/**
 * Signs a one-time token the way Kommo's `$authorizedAjax` does (X-Auth-Token): an HS256 JWT
 * signed with the integration's client secret, with Kommo's claims (iss = the account address,
 * aud = our server's origin, 30 minutes of validity). Synchronous and dependency-free, so fakes and
 * browser tests can use it too.
 */
import { createHmac, randomUUID } from 'node:crypto';

export interface KommoTokenClaims {
  /** The account address, e.g. https://acme.kommo.com */
  iss: string;
  /** Our server's origin (derived by Kommo from the integration's redirect URI). */
  aud: string;
  account_id: number;
  subdomain: string;
  user_id: number;
  /** The integration's id (OAuth client_id). */
  client_uuid: string;
  is_admin: boolean;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
}

export interface KommoTokenOptions {
  secret: string;
  claims: Partial<KommoTokenClaims> & Pick<KommoTokenClaims, 'iss' | 'aud' | 'account_id'>;
  /** Defaults to now; every time claim is relative to it. */
  now?: Date;
  /** Seconds until `exp`; Kommo's tokens live 30 minutes. */
  lifetimeSeconds?: number;
  /** Header algorithm; only to forge tokens in tests (the signature stays HMAC-SHA256). */
  alg?: string;
}

export const KOMMO_TOKEN_LIFETIME_SECONDS = 30 * 60;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export function signKommoToken(options: KommoTokenOptions): string {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const subdomain = options.claims.subdomain ?? new URL(options.claims.iss).hostname.split('.')[0] ?? '';
  const claims: KommoTokenClaims = {
    jti: randomUUID(),
    iat,
    nbf: iat,
    exp: iat + (options.lifetimeSeconds ?? KOMMO_TOKEN_LIFETIME_SECONDS),
    subdomain,
    user_id: 1,
    client_uuid: '',
    is_admin: false,
    ...options.claims,
  };
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: options.alg ?? 'HS256' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', options.secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
