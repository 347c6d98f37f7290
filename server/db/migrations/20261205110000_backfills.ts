/**
 * Backfill runs: deals already at a trigger stage in a date range get their issues through the
 * Won job. The run keeps its listing cursor and every (deal, link key) it found, so a restarted
 * process resumes where the last one stopped and the progress is counted from the links.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('backfill_runs', (t) => {
    t.uuid('id').primary();
    t.uuid('installation_id').notNullable().references('installations.id').onDelete('CASCADE');
    t.timestamp('since', { useTz: true }).notNullable();
    t.timestamp('until', { useTz: true });
    t.string('status', 16).notNullable(); // running, done, cancelled, failed
    t.boolean('listed').notNullable().defaultTo(false);
    t.jsonb('cursor');
    t.integer('total').notNullable().defaultTo(0);
    t.integer('done').notNullable().defaultTo(0);
    t.integer('errors').notNullable().defaultTo(0);
    t.text('error_message');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['installation_id', 'created_at']);
  });
  // One running backfill per installation, whichever process starts it.
  await knex.raw(`create unique index backfill_runs_one_running on backfill_runs (installation_id) where status = 'running'`);
  await knex.schema.createTable('backfill_items', (t) => {
    t.uuid('run_id').notNullable().references('backfill_runs.id').onDelete('CASCADE');
    t.bigInteger('lead_id').notNullable();
    t.string('link_key', 128).notNullable();
    t.boolean('queued').notNullable().defaultTo(false);
    t.primary(['run_id', 'lead_id', 'link_key']);
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
