import type { Knex } from 'knex';

/** Installations, deal ↔ issue links, caches, and the shared Kommo rate-limit slots. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('installations', (t) => {
    t.uuid('id').primary();
    t.string('mode', 16).notNullable(); // 'single' (env) or 'oauth' (marketplace)
    t.string('status', 16).notNullable().defaultTo('active');
    t.bigInteger('kommo_account_id').unique();
    t.string('kommo_subdomain', 128);
    t.string('kommo_base_url', 512).notNullable();
    t.text('kommo_access_token_enc');
    t.text('kommo_refresh_token_enc');
    t.timestamp('kommo_token_expires_at', { useTz: true });
    t.string('kommo_webhook_secret_hash', 64).notNullable().unique();
    t.text('kommo_client_secret_enc');
    t.string('kommo_client_id', 128);
    t.text('linear_api_key_enc');
    t.text('linear_webhook_secret_enc');
    t.string('linear_viewer_id', 64);
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamps(true, true);
  });

  await knex.schema.createTable('deal_links', (t) => {
    t.uuid('id').primary();
    t.uuid('installation_id').notNullable().references('installations.id').onDelete('CASCADE');
    t.bigInteger('lead_id').notNullable();
    // One automatic issue per lead ('won'); manual links use 'manual:<issue id>'.
    t.string('link_key', 128).notNullable();
    t.string('origin', 16).notNullable(); // 'won' | 'widget' | 'manual'
    t.string('status', 16).notNullable(); // creating | retrying | failed | linked | unlinked
    // Pre-generated before issueCreate so a retry can never create a second issue.
    t.uuid('linear_issue_id').notNullable();
    t.string('issue_identifier', 32);
    t.text('issue_title');
    t.text('issue_url');
    t.jsonb('issue_state');
    t.jsonb('issue_assignee');
    t.integer('issue_priority');
    t.string('issue_due_date', 10);
    t.timestamp('issue_updated_at', { useTz: true });
    t.boolean('issue_deleted').notNullable().defaultTo(false);
    // The deal's deadline when the issue was made, so the card can flag a later due date offline.
    t.string('deal_deadline', 10);
    // What the last note about this issue said, so each change is noted once (Linear → Kommo).
    t.jsonb('noted');
    t.timestamp('synced_at', { useTz: true });
    t.timestamp('issue_created_at', { useTz: true });
    t.timestamp('attachment_done_at', { useTz: true });
    t.timestamp('field_done_at', { useTz: true });
    t.timestamp('note_started_at', { useTz: true });
    t.timestamp('note_done_at', { useTz: true });
    t.string('error_code', 64);
    t.text('error_message');
    t.boolean('error_retryable');
    t.jsonb('warnings').notNullable().defaultTo('[]');
    t.integer('attempts').notNullable().defaultTo(0);
    // Who is working on this link right now; guards against two jobs for one lead at once.
    t.string('lease_owner', 64);
    t.timestamp('lease_until', { useTz: true });
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.timestamps(true, true);
    t.unique(['installation_id', 'lead_id', 'link_key']);
    t.index(['installation_id', 'linear_issue_id']);
  });

  await knex.schema.createTable('cache_entries', (t) => {
    t.uuid('installation_id').notNullable().references('installations.id').onDelete('CASCADE');
    t.string('key', 200).notNullable();
    t.jsonb('value').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.primary(['installation_id', 'key']);
  });

  // Sliding-window limiter: one row per allowed request per second; a caller takes the oldest slot.
  await knex.schema.createTable('rate_slots', (t) => {
    t.string('bucket', 200).notNullable();
    t.integer('slot').notNullable();
    t.timestamp('used_at', { useTz: true }).notNullable();
    t.primary(['bucket', 'slot']);
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
