/** The readiness check: the database answers and every migration has run. */
import type { Database } from './create-db';
import { migrationsComplete } from './migrate';

export async function checkReadiness(database: Database): Promise<{ ok: boolean; detail: string }> {
  await database.db.raw('select 1');
  const done = await migrationsComplete(database.db);
  return { ok: done, detail: done ? `${database.kind} ok` : 'migrations pending' };
}
