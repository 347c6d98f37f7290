import type { Knex } from 'knex';

/** Linear → Kommo: delivery dedupe, notes waiting to be posted, reconciliation and poll cursors. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('linear_deliveries', (t) => {
    t.uuid('installation_id').notNullable().references('installations.id').onDelete('CASCADE');
    t.string('delivery_id', 64).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['installation_id', 'delivery_id']);
    t.index(['received_at']);
  });
  await knex.schema.alterTable('deal_links', (t) => {
    // Notes decided but not yet confirmed posted: [{ key, text, attemptedAt? }].
    t.jsonb('pending_notes').notNullable().defaultTo('[]');
  });
  await knex.schema.alterTable('installations', (t) => {
    t.timestamp('reconciled_at', { useTz: true });
    t.bigInteger('won_poll_cursor');
    t.string('kommo_webhook_status', 16); // registered | unavailable | manual
    t.string('linear_webhook_id', 64);
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
