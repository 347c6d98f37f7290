import type { Knex } from 'knex';

/**
 * Won events for leads Kommo says do not exist: one row per installation and lead (a replay
 * counts up, it adds no row), so support sees them without a failed link on the deal list.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rejected_won_leads', (t) => {
    t.uuid('installation_id').notNullable().references('installations.id').onDelete('CASCADE');
    t.bigInteger('lead_id').notNullable();
    t.string('reason', 32).notNullable(); // lead_not_found
    t.text('message').notNullable();
    t.integer('count').notNullable().defaultTo(1);
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['installation_id', 'lead_id']);
    t.index(['installation_id', 'last_seen_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
