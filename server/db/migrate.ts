/**
 * Forward-only, timestamped migrations, listed explicitly so they load the same way under tsx,
 * jest and any bundler.
 */
import type { Knex } from 'knex';
import * as initial from './migrations/20261127120000_initial';
import * as linearSync from './migrations/20261127140000_linear_sync';
import * as settingsChanges from './migrations/20261127150000_settings_changes';
import * as hardening from './migrations/20261202120000_hardening';
import * as kommoAccess from './migrations/20261202130000_kommo_access';
import * as rateSlotsByInstallation from './migrations/20261202140000_rate_slots_by_installation';
import * as linkTriggers from './migrations/20261204110000_link_triggers';
import * as commentMirrors from './migrations/20261204120000_comment_mirrors';
import * as rejectedWonLeads from './migrations/20261204130000_rejected_won_leads';
import * as linearOAuth from './migrations/20261204150000_linear_oauth';
import * as backfills from './migrations/20261205110000_backfills';
import * as customerSyncs from './migrations/20261205120000_customer_syncs';
import * as setupMarks from './migrations/20261205130000_setup_marks';
import * as linkLastTask from './migrations/20261205150000_link_last_task';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const MIGRATIONS: Array<readonly [string, Migration]> = [
  ['20261127120000_initial', initial],
  ['20261127140000_linear_sync', linearSync],
  ['20261127150000_settings_changes', settingsChanges],
  ['20261202120000_hardening', hardening],
  ['20261202130000_kommo_access', kommoAccess],
  ['20261202140000_rate_slots_by_installation', rateSlotsByInstallation],
  ['20261204110000_link_triggers', linkTriggers],
  ['20261204120000_comment_mirrors', commentMirrors],
  ['20261204130000_rejected_won_leads', rejectedWonLeads],
  ['20261204150000_linear_oauth', linearOAuth],
  ['20261205110000_backfills', backfills],
  ['20261205120000_customer_syncs', customerSyncs],
  ['20261205130000_setup_marks', setupMarks],
  ['20261205150000_link_last_task', linkLastTask],
];

const source: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: (m) => m[0],
  getMigration: async (m) => m[1],
};

const TABLE = 'knex_migrations';

/**
 * Runs the pending migrations. When none is pending (every start but the first) one query says so:
 * knex's own path (create the tables if missing, take the lock, list, compare) costs several
 * round trips, each a noticeable part of a start on the embedded database.
 */
export async function migrateToLatest(db: Knex): Promise<void> {
  if (await migrationsComplete(db)) return;
  await db.migrate.latest({ migrationSource: source, tableName: TABLE });
}

/** True when every known migration has run (also the readiness check). */
export async function migrationsComplete(db: Knex): Promise<boolean> {
  const table = (await db.raw('select to_regclass(?) is not null as present', [TABLE])) as { rows: Array<{ present: boolean }> };
  if (!table.rows[0]?.present) return false;
  const names = MIGRATIONS.map(([name]) => name);
  const done = (await db.raw(`select count(distinct name)::int as done from ${TABLE} where name = any(?)`, [names])) as { rows: Array<{ done: number }> };
  return done.rows[0]?.done === names.length;
}
