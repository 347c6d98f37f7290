/**
 * Forward-only, timestamped migrations, listed explicitly so they load the same way under tsx,
 * jest and any bundler.
 */
import type { Knex } from 'knex';
import * as initial from './migrations/20261127120000_initial';
import * as linearSync from './migrations/20261127140000_linear_sync';
import * as settingsChanges from './migrations/20261127150000_settings_changes';
import * as rateSlotsByInstallation from './migrations/20261202140000_rate_slots_by_installation';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const MIGRATIONS: Array<readonly [string, Migration]> = [
  ['20261127120000_initial', initial],
  ['20261127140000_linear_sync', linearSync],
  ['20261127150000_settings_changes', settingsChanges],
  ['20261202140000_rate_slots_by_installation', rateSlotsByInstallation],
];

const source: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: (m) => m[0],
  getMigration: async (m) => m[1],
};

export async function migrateToLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource: source, tableName: 'knex_migrations' });
}

/** True when every known migration has run (the readiness check). */
export async function migrationsComplete(db: Knex): Promise<boolean> {
  const [, pending] = (await db.migrate.list({ migrationSource: source, tableName: 'knex_migrations' })) as [
    unknown[],
    unknown[],
  ];
  return pending.length === 0;
}
