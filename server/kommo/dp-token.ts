/**
 * The token a marketplace build's Digital Pipeline action carries in its settings. Derived from
 * the installation's webhook URL secret (an HMAC of a fixed label), so nothing new is stored, it
 * stays the same across reinstalls (the secret does), and one account's token says nothing about
 * another's.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/secret-box';

const LABEL = 'linear-for-kommo:digital-pipeline-action:v1';

export function dpActionToken(webhookSecret: string): string {
  return createHmac('sha256', webhookSecret).update(LABEL, 'utf8').digest('base64url');
}

/** Constant-time check of an action's token against the installation's. */
export function isDpActionToken(webhookSecret: string, token: string): boolean {
  return safeEqual(dpActionToken(webhookSecret), token);
}
