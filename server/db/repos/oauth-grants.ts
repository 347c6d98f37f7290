/**
 * Kommo install callbacks, saved before anything else: Kommo calls the redirect URI once, with a
 * 3-second budget, and never again, so the code is persisted and exchanged by a job. A code is
 * saved once (by its hash), and grants that did not become an installation are deleted once
 * their code is dead (Kommo's codes live 20 minutes).
 */
import { randomUUID } from 'node:crypto';
import { hashSecret } from '../../crypto/secret-box';
import { z } from 'zod';
import type { SecretBox } from '../../crypto/secret-box';
import type { DbOrTrx } from '../create-db';
import { nullableText, parseRow, timestamp } from '../rows';

export interface OAuthGrant {
  id: string;
  referer: string;
  code: string;
  status: 'pending' | 'done' | 'failed';
  tokens: { accessToken: string; refreshToken: string; expiresAt: Date } | undefined;
  receivedAt: Date;
}

const GrantRowSchema = z.object({
  id: z.string(),
  referer: z.string(),
  code_enc: z.string(),
  status: z.enum(['pending', 'done', 'failed']),
  tokens_enc: nullableText,
  received_at: timestamp,
});
/** The token pair as it is sealed in `tokens_enc`. */
const SealedTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresAt: z.string().transform((v) => new Date(v)),
});

export function createOAuthGrantsRepo(box: SecretBox) {
  return {
    /** The new grant's id; undefined when this code was saved before. */
    async add(db: DbOrTrx, input: { referer: string; code: string; state: string | undefined }): Promise<string | undefined> {
      const id = randomUUID();
      const inserted: unknown = await db('oauth_grants')
        .insert({ id, referer: input.referer, code_enc: box.encrypt(input.code), code_hash: hashSecret(input.code), state: input.state ?? null })
        .onConflict('code_hash')
        .ignore()
        .returning('id');
      return Array.isArray(inserted) && inserted.length > 0 ? id : undefined;
    },
    /** Deletes grants that did not become an installation and are older than `seconds`. */
    async expireUnused(db: DbOrTrx, seconds: number): Promise<number> {
      const deleted = await db('oauth_grants')
        .whereNot({ status: 'done' })
        .andWhere('received_at', '<', db.raw(`now() - (? * interval '1 second')`, [seconds]))
        .delete();
      return Number(deleted);
    },
    async find(db: DbOrTrx, id: string): Promise<OAuthGrant | undefined> {
      const found: unknown = await db('oauth_grants').where({ id }).first();
      if (!found) return undefined;
      const row = parseRow(GrantRowSchema, found, 'oauth_grants');
      const tokens = row.tokens_enc ? parseRow(SealedTokensSchema, JSON.parse(box.decrypt(row.tokens_enc)), 'oauth_grants.tokens') : undefined;
      return { id: row.id, referer: row.referer, code: box.decrypt(row.code_enc), status: row.status, tokens, receivedAt: row.received_at };
    },
    async saveTokens(db: DbOrTrx, id: string, tokens: { accessToken: string; refreshToken: string; expiresAt: Date }): Promise<void> {
      await db('oauth_grants').where({ id }).update({ tokens_enc: box.encrypt(JSON.stringify(tokens)) });
    },
    async finish(db: DbOrTrx, id: string, result: { installationId: string } | { error: string }): Promise<void> {
      await db('oauth_grants')
        .where({ id })
        .update('installationId' in result ? { status: 'done', installation_id: result.installationId } : { status: 'failed', error: result.error });
    },
  };
}
export type OAuthGrantsRepo = ReturnType<typeof createOAuthGrantsRepo>;
