/**
 * The `state` of a "Connect Linear" flow: random, single use, short-lived, bound to the
 * installation and the admin who started it. Only its hash is stored, so a leaked database
 * cannot finish someone's consent.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hashSecret } from '../../crypto/secret-box';
import type { DbOrTrx } from '../create-db';
import { nullableInteger, parseRow, timestamp } from '../rows';

export type ConsumedState =
  | { ok: true; installationId: string; userId: number | null }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

const StateRowSchema = z.object({ installation_id: z.string(), user_id: nullableInteger, expires_at: timestamp });

export const linearOAuthStatesRepo = {
  async create(db: DbOrTrx, input: { installationId: string; userId: number | null; ttlSeconds: number }): Promise<{ state: string; expiresAt: Date }> {
    const state = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + input.ttlSeconds * 1000);
    // Old states are of no use to anyone: drop them while we are here.
    await db('linear_oauth_states').where('expires_at', '<', db.raw(`now() - interval '1 day'`)).delete();
    await db('linear_oauth_states').insert({ state_hash: hashSecret(state), installation_id: input.installationId, user_id: input.userId, expires_at: expiresAt });
    return { state, expiresAt };
  },
  /** Whose the state is, without spending it (the callback page checks it before handing the code over). */
  async peek(db: DbOrTrx, state: string): Promise<ConsumedState> {
    const row: unknown = await db('linear_oauth_states').where({ state_hash: hashSecret(state) }).first('installation_id', 'user_id', 'expires_at', 'used_at');
    if (!row) return { ok: false, reason: 'unknown' };
    const parsed = parseRow(StateRowSchema.extend({ used_at: timestamp.nullable() }), row, 'linear_oauth_states');
    if (parsed.used_at) return { ok: false, reason: 'used' };
    if (parsed.expires_at.getTime() <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, installationId: parsed.installation_id, userId: parsed.user_id };
  },
  /** Marks the state used (at most once, even under concurrent callbacks) and says whose it was. */
  async consume(db: DbOrTrx, state: string): Promise<ConsumedState> {
    const hash = hashSecret(state);
    const claimed: unknown = await db('linear_oauth_states').where({ state_hash: hash }).whereNull('used_at').update({ used_at: db.fn.now() }).returning(['installation_id', 'user_id', 'expires_at']);
    const row = Array.isArray(claimed) ? (claimed[0] as unknown) : undefined;
    if (!row) return { ok: false, reason: (await db('linear_oauth_states').where({ state_hash: hash }).first('state_hash')) ? 'used' : 'unknown' };
    const parsed = parseRow(StateRowSchema, row, 'linear_oauth_states');
    if (parsed.expires_at.getTime() <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, installationId: parsed.installation_id, userId: parsed.user_id };
  },
};
