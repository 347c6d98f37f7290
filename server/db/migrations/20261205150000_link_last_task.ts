/**
 * The last task a link's follow-up created for the deal's manager ("Call the client: ENG-42 …"),
 * kept on the link like its last comment, so the deal card shows it and stays one query.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deal_links', (t) => {
    t.jsonb('last_task');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deal_links', (t) => {
    t.dropColumn('last_task');
  });
}
