/**
 * Trigger stages: a deal may get one issue per rule (or Digital Pipeline action), each under its
 * own link key (`rule:<id>`, `dp:<pipeline>:<stage>`; the rules saved before keep `won`). The
 * key column already holds them; `trigger` records what made the issue (rule, pipeline, stage,
 * the action's target) for the deal card and for a rerun of a link that waited.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deal_links', (t) => {
    t.jsonb('trigger');
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
