/**
 * Comments both ways: one row per comment mirrored into one deal (Linear → Kommo note) or per note
 * mirrored onto one linked issue (Kommo → Linear comment). The row is the replay guard (unique per
 * link and source), the record of what we created (so our own notes and comments are recognised
 * when their webhooks come back), and the stamps around the post. The deal card shows a link's
 * last comment from Linear, kept on the link so the card stays one query.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('comment_mirrors', (t) => {
    t.uuid('id').primary();
    t.uuid('installation_id').notNullable().references('installations.id').onDelete('CASCADE');
    t.uuid('link_id').notNullable().references('deal_links.id').onDelete('CASCADE');
    t.bigInteger('lead_id').notNullable();
    // 'linear': a Linear comment became a note; 'kommo': a Kommo note became a comment.
    t.string('origin', 8).notNullable();
    // `linear:<comment id>` or `kommo:<note id>`: what was mirrored, once per link.
    t.string('source_key', 160).notNullable();
    // The Linear comment: the source (origin linear) or the one we create, with our own id (origin kommo).
    t.string('linear_comment_id', 128).notNullable();
    // The Kommo note: the source (origin kommo) or the one we created, once Kommo told its id (origin linear).
    t.bigInteger('kommo_note_id');
    t.string('author', 255);
    t.text('text').notNullable();
    t.timestamp('started_at', { useTz: true });
    t.timestamp('done_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['link_id', 'source_key']);
    t.index(['installation_id', 'linear_comment_id']);
    t.index(['installation_id', 'kommo_note_id']);
  });
  await knex.schema.alterTable('deal_links', (t) => {
    t.jsonb('last_comment');
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations only move forward');
}
