import type { Knex } from 'knex';

/** Every settings change (who, when, what), shown in the settings page; OAuth installs waiting for their code exchange. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings_changes', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('installation_id').notNullable().references('installations.id').onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('kommo_user_id');
    t.text('summary').notNullable();
    t.jsonb('before');
    t.jsonb('after');
    t.index(['installation_id', 'at']);
  });
  await knex.schema.createTable('oauth_grants', (t) => {
    t.uuid('id').primary();
    t.string('referer', 255).notNullable();
    t.text('code_enc').notNullable();
    // The exchanged token pair (encrypted): a retry after the exchange must not reuse the single-use code.
    t.text('tokens_enc');
    t.string('state', 255);
    t.string('status', 16).notNullable().defaultTo('pending'); // pending | done | failed
    t.text('error');
    t.uuid('installation_id');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('installations', (t) => {
    // Single-flight token refresh: who refreshes, until when (a row-level lease).
    t.string('refresh_owner', 64);
    t.timestamp('refresh_until', { useTz: true });
    // Kept (encrypted) so a reinstall can reuse the registered webhook URL.
    t.text('kommo_webhook_secret_enc');
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
