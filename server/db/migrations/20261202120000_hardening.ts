/**
 * Install callbacks are deduplicated by a hash of their code, and an installation remembers when
 * and how it was disabled (the settings page shows it; only a fresh OAuth grant re-enables it).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oauth_grants', (t) => {
    t.string('code_hash', 64).unique();
  });
  await knex.schema.alterTable('installations', (t) => {
    t.timestamp('disabled_at', { useTz: true });
    t.string('disabled_by', 32);
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
