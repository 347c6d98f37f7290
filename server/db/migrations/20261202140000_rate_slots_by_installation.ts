/**
 * Rate-limit buckets are named by installation id alone now (no account id, no rate suffix):
 * the rows under the old names are never read again.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex('rate_slots').whereLike('bucket', '%#%').delete();
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
