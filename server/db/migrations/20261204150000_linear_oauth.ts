import type { Knex } from 'knex';

/**
 * Linear OAuth ("Connect Linear"): the installation's token pair (encrypted), its workspace, the
 * state of the grant (connected, reconnect needed, revoked) and a refresh lease of its own; and
 * the single-use `state` values of connect flows in progress (only their hash is kept).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('installations', (t) => {
    t.text('linear_oauth_access_enc');
    t.text('linear_oauth_refresh_enc');
    t.timestamp('linear_oauth_expires_at', { useTz: true });
    t.text('linear_oauth_scope');
    t.string('linear_oauth_status', 24); // connected | reconnect_needed | revoked
    t.text('linear_oauth_message');
    t.string('linear_organization_id', 64).index();
    t.string('linear_refresh_owner', 64);
    t.timestamp('linear_refresh_until', { useTz: true });
  });
  await knex.schema.createTable('linear_oauth_states', (t) => {
    t.string('state_hash', 64).primary();
    t.uuid('installation_id').notNullable().references('id').inTable('installations').onDelete('CASCADE');
    t.bigInteger('user_id');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
