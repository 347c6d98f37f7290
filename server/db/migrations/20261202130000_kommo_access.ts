import type { Knex } from 'knex';

/**
 * Why Kommo refuses an installation's account (402 unpaid, 403 restricted, 401 token refused),
 * since when and when we last checked; null while the account answers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('installations', (t) => {
    t.string('kommo_access_problem', 16); // unpaid | restricted | unauthorized
    t.text('kommo_access_message');
    t.timestamp('kommo_access_since', { useTz: true });
    t.timestamp('kommo_access_checked_at', { useTz: true });
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
