/**
 * Linear Customers: one row per deal link whose issue gets a customer request. The request's id
 * is generated and stored here before it is created in Linear, so a retry after a crash or a
 * lost answer re-sends the same id (or finds it on the issue) and never makes a second request.
 * The last error of the customer step is kept for support; it never touches the link's status.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_syncs', (t) => {
    t.uuid('link_id').primary().references('deal_links.id').onDelete('CASCADE');
    t.uuid('installation_id').notNullable().references('installations.id').onDelete('CASCADE');
    t.bigInteger('lead_id').notNullable();
    t.uuid('need_id').notNullable();
    t.text('customer_external_id');
    t.timestamp('need_started_at', { useTz: true });
    t.timestamp('need_done_at', { useTz: true });
    t.timestamp('synced_at', { useTz: true });
    t.string('error_code', 64);
    t.text('error_message');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['installation_id', 'lead_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
