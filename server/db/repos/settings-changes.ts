/** The history of settings changes of an installation. */
import { z } from 'zod';
import type { DbOrTrx } from '../create-db';
import { nullableInteger, parseRow, timestamp } from '../rows';

export interface SettingsChange {
  at: Date;
  userId: number | null;
  summary: string;
}

const ChangeRowSchema = z.object({ at: timestamp, kommo_user_id: nullableInteger, summary: z.string() });

export const settingsChangesRepo = {
  async add(db: DbOrTrx, installationId: string, change: { userId: number | null; summary: string; before: unknown; after: unknown }): Promise<void> {
    await db('settings_changes').insert({
      installation_id: installationId,
      kommo_user_id: change.userId,
      summary: change.summary,
      before: JSON.stringify(change.before),
      after: JSON.stringify(change.after),
    });
  },

  async recent(db: DbOrTrx, installationId: string, limit = 20): Promise<SettingsChange[]> {
    const rows = await db('settings_changes').where({ installation_id: installationId }).orderBy('id', 'desc').limit(limit);
    return parseRow(z.array(ChangeRowSchema), rows, 'settings_changes').map((r) => ({ at: r.at, userId: r.kommo_user_id, summary: r.summary }));
  },
};
