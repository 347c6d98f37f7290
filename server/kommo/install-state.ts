/**
 * The `state` of an install we start ourselves (GET /oauth/kommo/start sends the browser to
 * Kommo's consent page, which hands `state` back to the redirect URI;
 * https://developers.kommo.com/docs/authorization-public). It is signed with the client secret and
 * expires, so a callback claiming to come from our own start cannot be forged or replayed later.
 * Form: `lfk1.<expires at, unix s>.<nonce>.<hex HMAC-SHA256 of the first three parts>`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../crypto/secret-box';

const VERSION = 'lfk1';
/** Time for a person to pick the account and consent. */
export const INSTALL_STATE_TTL_SECONDS = 30 * 60;

const sign = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

export function issueInstallState(secret: string, now = Date.now()): string {
  const text = `${VERSION}.${Math.floor(now / 1000) + INSTALL_STATE_TTL_SECONDS}.${randomBytes(12).toString('base64url')}`;
  return `${text}.${sign(secret, text)}`;
}

export function verifyInstallState(secret: string, state: string, now = Date.now()): boolean {
  const parts = state.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return false;
  const [version, expires, nonce, signature] = parts as [string, string, string, string];
  if (!safeEqual(sign(secret, `${version}.${expires}.${nonce}`), signature)) return false;
  return /^\d{1,12}$/.test(expires) && Number(expires) * 1000 > now;
}
