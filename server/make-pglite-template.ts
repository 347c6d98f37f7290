/**
 * `node dist/server/make-pglite-template.js <folder> <key>` (run by `npm run build`, see
 * scripts/pglite-template.mjs): an initialised, migrated PGlite database with the queue's schema,
 * written to <folder> as the template that new data folders start from (db/pglite-template.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase } from './db/create-db';
import { migrateToLatest } from './db/migrate';
import { installedPgliteVersion, TEMPLATE_INFO_FILE, type TemplateInfo } from './db/pglite-template';
import { createQueue } from './jobs/queue';
import { createLogger } from './log';

async function main(folder: string | undefined, key: string | undefined): Promise<void> {
  if (!folder || !key) throw new Error('usage: make-pglite-template <folder> <key>');
  // <folder>/pglite, like a data folder; it is what the template is made of, so none seeds it.
  const database = createDatabase({ databaseUrl: undefined, dataDir: folder, pgliteTemplate: join(folder, 'no-template') });
  try {
    await migrateToLatest(database.db);
    const queue = createQueue({ kind: 'pglite', db: database.db, databaseUrl: undefined, log: createLogger('warn'), concurrency: 0, retryLimit: 0, expireInSeconds: 60 });
    await queue.start({ workers: false });
    await queue.stop();
    // Written out now, so a copy has no log to replay when it is first opened.
    await database.db.raw('checkpoint');
  } finally {
    await database.close();
  }
  const info: TemplateInfo = { key, pglite: installedPgliteVersion() };
  writeFileSync(join(folder, TEMPLATE_INFO_FILE), JSON.stringify(info));
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(`could not prepare the PGlite template: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
