/**
 * Kommo OAuth endpoints. The install redirect must answer within 3 s and is never resent, so
 * the code is saved and a job exchanges it (https://developers.kommo.com/docs/authorization-public).
 * Callbacks are unauthenticated, so each one is cheap to refuse: limited per referer, a code is
 * saved once, and an install started from our side (GET /oauth/kommo/start, no `from_widget`)
 * must bring back the state we signed.
 * Kommo's "access revoked" hook is a GET with `account_id`, `client_uuid` and `signature`: the hex
 * HMAC-SHA256 of `client_uuid|account_id` keyed with the client secret. That signature never
 * changes, so a captured revoke URL can be replayed: it can only disable, never enable.
 */
import type Router from '@koa/router';
import { createRouter } from '../router';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { safeEqual } from '../../crypto/secret-box';
import { AppError } from '../../errors';
import { issueInstallState, verifyInstallState } from '../../kommo/install-state';
import { createPerKeyLimit } from '../middleware/per-key-limit';
import { parse } from '../parse-input';

/** A real account installs once; a few retries by a person fit in a minute. */
export const CALLBACKS_PER_REFERER_PER_MINUTE = 5;
/** Kommo's consent page, where an install started from our side goes. */
const KOMMO_CONSENT_URL = 'https://www.kommo.com/oauth';

export interface KommoOAuthDeps {
  clientId: string;
  clientSecret: string;
  allowedHosts: RegExp[];
  /** Saves the code for the install job; false when this code was saved before. */
  saveGrant(input: { referer: string; code: string; state: string | undefined }): Promise<boolean>;
  disableAccount(accountId: number): Promise<boolean>;
}

const CallbackSchema = z.object({
  code: z.string().min(1, 'code is missing').max(4096),
  referer: z.string().min(1, 'referer is missing').max(255),
  state: z.string().max(255).optional(),
  from_widget: z.string().optional(),
});

const RevokeSchema = z.object({
  account_id: z.string().regex(/^\d{1,15}$/, 'account_id must be a number').transform(Number),
  client_uuid: z.string().min(1).max(128),
  signature: z.string().regex(/^[0-9a-f]{64}$/i, 'signature must be hex HMAC-SHA256'),
});

export function kommoOAuthRoutes(deps: KommoOAuthDeps): Router {
  const router = createRouter();
  const perReferer = createPerKeyLimit({ max: CALLBACKS_PER_REFERER_PER_MINUTE, windowMs: 60_000 });

  router.get('/oauth/kommo/start', (ctx) => {
    const query = new URLSearchParams({ client_id: deps.clientId, state: issueInstallState(deps.clientSecret) });
    ctx.redirect(`${KOMMO_CONSENT_URL}?${query}`);
  });

  router.get('/oauth/kommo/callback', async (ctx) => {
    if (typeof ctx.query.error === 'string') throw new AppError('bad_request', `Kommo did not grant access: ${ctx.query.error}`);
    const input = parse(CallbackSchema, ctx.query, 'code');
    const host = input.referer.replace(/^https?:\/\//, '').replace(/\/.*$/, '').toLowerCase();
    if (!deps.allowedHosts.some((pattern) => pattern.test(host))) {
      throw new AppError('bad_request', `referer ${host} is not a Kommo account address`, { field: 'referer' });
    }
    if (!perReferer.take(host)) {
      throw new AppError('rate_limited', `Too many install callbacks for ${host}; install again in a minute`, { retryAfterMs: 60_000 });
    }
    // Without from_widget the install came through our start page, which gave Kommo our state.
    if (input.from_widget === undefined && (input.state === undefined || !verifyInstallState(deps.clientSecret, input.state))) {
      throw new AppError('bad_request', 'The install state is missing, forged or expired: start the installation again', { field: 'state' });
    }
    try {
      await deps.saveGrant({ referer: host, code: input.code, state: input.state });
    } catch (error) {
      throw new AppError('unavailable', 'Could not save the installation; install the widget again in a minute', { cause: error });
    }
    ctx.type = 'html';
    ctx.body = '<!doctype html><meta charset="utf-8"><title>Linear for Kommo</title><p>Linear for Kommo is being installed. You can close this window and open the widget settings.</p>';
  });

  router.get('/oauth/kommo/revoke', async (ctx) => {
    const input = parse(RevokeSchema, ctx.query, 'signature');
    const expected = createHmac('sha256', deps.clientSecret).update(`${input.client_uuid}|${input.account_id}`).digest('hex');
    if (!safeEqual(expected, input.signature.toLowerCase()) || input.client_uuid !== deps.clientId) {
      throw new AppError('unauthorized', 'The revoke signature does not match this integration');
    }
    const disabled = await deps.disableAccount(input.account_id);
    ctx.body = { ok: true, disabled };
  });
  return router;
}
