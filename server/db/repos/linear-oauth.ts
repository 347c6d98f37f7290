/**
 * An installation's Linear OAuth grant (columns of `installations`): the token pair, encrypted,
 * its workspace and state, and a refresh lease of its own (the Kommo tokens have theirs). Tokens
 * are only decrypted by installation-rows.ts, for the token provider.
 */
import type { SecretBox } from '../../crypto/secret-box';
import type { LinearOAuthStatus } from '../../domain/installation';
import { z } from 'zod';
import type { DbOrTrx } from '../create-db';
import { nullableText, parseRow } from '../rows';

const OrganizationRowsSchema = z.array(z.object({ id: z.string(), linear_viewer_id: nullableText }));

export interface LinearOAuthTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scope: string;
}

export interface LinearOAuthConnection {
  tokens: LinearOAuthTokens;
  organizationId: string;
  viewerId: string;
}

export function createLinearOAuthRepo(box: SecretBox) {
  const tokenColumns = (tokens: LinearOAuthTokens) => ({
    linear_oauth_access_enc: box.encrypt(tokens.accessToken),
    linear_oauth_refresh_enc: box.encrypt(tokens.refreshToken),
    linear_oauth_expires_at: tokens.expiresAt,
    linear_oauth_scope: tokens.scope,
  });
  const cleared = {
    linear_oauth_access_enc: null,
    linear_oauth_refresh_enc: null,
    linear_oauth_expires_at: null,
    linear_refresh_owner: null,
    linear_refresh_until: null,
  };
  return {
    /** A new grant (connect or reconnect): connected, whatever the state was. */
    async connect(db: DbOrTrx, id: string, connection: LinearOAuthConnection): Promise<void> {
      await db('installations')
        .where({ id })
        .update({
          ...tokenColumns(connection.tokens),
          linear_oauth_status: 'connected',
          linear_oauth_message: null,
          linear_organization_id: connection.organizationId,
          linear_viewer_id: connection.viewerId,
          linear_refresh_owner: null,
          linear_refresh_until: null,
          updated_at: db.fn.now(),
        });
    },
    /** The rotated pair, in one update, which also ends the refresh lease. */
    async saveRotated(db: DbOrTrx, id: string, tokens: LinearOAuthTokens): Promise<void> {
      await db('installations')
        .where({ id, linear_oauth_status: 'connected' })
        .update({ ...tokenColumns(tokens), linear_refresh_owner: null, linear_refresh_until: null, updated_at: db.fn.now() });
    },
    async takeLease(db: DbOrTrx, id: string, owner: string, seconds: number): Promise<boolean> {
      const updated = await db('installations')
        .where({ id })
        .andWhere((q) => q.whereNull('linear_refresh_until').orWhere('linear_refresh_until', '<', db.fn.now()).orWhere({ linear_refresh_owner: owner }))
        .update({ linear_refresh_owner: owner, linear_refresh_until: db.raw(`now() + (? * interval '1 second')`, [seconds]) });
      return Number(updated) === 1;
    },
    async releaseLease(db: DbOrTrx, id: string, owner: string): Promise<void> {
      await db('installations').where({ id, linear_refresh_owner: owner }).update({ linear_refresh_owner: null, linear_refresh_until: null });
    },
    /** The grant ended (refresh refused, or the app removed in Linear): tokens dropped, jobs wait for a reconnect. */
    async markEnded(db: DbOrTrx, id: string, status: Exclude<LinearOAuthStatus, 'connected'>, message: string): Promise<void> {
      await db('installations')
        .where({ id })
        .whereNotNull('linear_oauth_status')
        .update({ ...cleared, linear_oauth_status: status, linear_oauth_message: message.slice(0, 2000), updated_at: db.fn.now() });
    },
    /** The admin disconnected: nothing of the grant is kept. */
    async forget(db: DbOrTrx, id: string): Promise<void> {
      await db('installations')
        .where({ id })
        .update({ ...cleared, linear_oauth_scope: null, linear_oauth_status: null, linear_oauth_message: null, linear_organization_id: null, linear_viewer_id: null, updated_at: db.fn.now() });
    },
    /** The active installations connected (or waiting to reconnect) to a Linear workspace, with their Linear user. */
    async byOrganization(db: DbOrTrx, organizationId: string): Promise<Array<{ id: string; viewerId: string | null }>> {
      const rows: unknown = await db('installations')
        .where({ linear_organization_id: organizationId, status: 'active' })
        .whereNotNull('linear_oauth_status')
        .select('id', 'linear_viewer_id');
      return parseRow(OrganizationRowsSchema, rows, 'installations').map((r) => ({ id: r.id, viewerId: r.linear_viewer_id }));
    },
  };
}
export type LinearOAuthRepo = ReturnType<typeof createLinearOAuthRepo>;
