/**
 * The settings page's setup checklist: when each side's webhook last reached us and when a test
 * deal was last previewed, one row per installation. Kept apart from `installations` so these
 * stamps never touch the cached installation row.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('setup_marks', (t) => {
    t.uuid('installation_id').primary().references('installations.id').onDelete('CASCADE');
    t.timestamp('kommo_webhook_at', { useTz: true });
    t.timestamp('linear_webhook_at', { useTz: true });
    t.timestamp('previewed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('setup_marks');
}
