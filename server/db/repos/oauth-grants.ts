/**
 * Kommo install callbacks, saved before anything else: Kommo calls the redirect URI once, with a
 * 3-second budget, and never again, so the code is persisted and exchanged by a job.
 */
import { randomUUID } from 'node:crypto';
import type { SecretBox } from '../../crypto/secret-box';
import type { DbOrTrx } from '../create-db';

export interface OAuthGrant {
  id: string;
  referer: string;
  code: string;
  status: 'pending' | 'done' | 'failed';
  tokens: { accessToken: string; refreshToken: string; expiresAt: Date } | undefined;
}

export function createOAuthGrantsRepo(box: SecretBox) {
  return {
    async add(db: DbOrTrx, input: { referer: string; code: string; state: string | undefined }): Promise<string> {
      const id = randomUUID();
      await db('oauth_grants').insert({ id, referer: input.referer, code_enc: box.encrypt(input.code), state: input.state ?? null });
      return id;
    },
    async find(db: DbOrTrx, id: string): Promise<OAuthGrant | undefined> {
      const row = (await db('oauth_grants').where({ id }).first()) as
        | { id: string; referer: string; code_enc: string; status: string; tokens_enc: string | null }
        | undefined;
      if (!row) return undefined;
      const tokens = row.tokens_enc ? (JSON.parse(box.decrypt(row.tokens_enc)) as { accessToken: string; refreshToken: string; expiresAt: string }) : undefined;
      return {
        id: row.id,
        referer: row.referer,
        code: box.decrypt(row.code_enc),
        status: row.status as OAuthGrant['status'],
        tokens: tokens ? { ...tokens, expiresAt: new Date(tokens.expiresAt) } : undefined,
      };
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
