/** The history of settings changes of an installation. */
import type { DbOrTrx } from '../create-db';

export interface SettingsChange {
  at: Date;
  userId: number | null;
  summary: string;
}

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
    const rows = (await db('settings_changes').where({ installation_id: installationId }).orderBy('id', 'desc').limit(limit)) as Array<{
      at: string | Date;
      kommo_user_id: string | number | null;
      summary: string;
    }>;
    return rows.map((r) => ({ at: new Date(r.at), userId: r.kommo_user_id === null ? null : Number(r.kommo_user_id), summary: r.summary }));
  },
};
