/**
 * `node scripts/run.mjs <server/main|server/cli|demo/main> [args…]`: what `npm start`,
 * `npm run cli` and `npm run demo` run. Builds what is out of date (scripts/build.mjs), then runs
 * the compiled dist/<entry>.js in this same process, so signals (Ctrl-C, a supervisor's SIGTERM)
 * reach the server directly and no second Node process is kept around.
 */
import console from 'node:console';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';
import { ensureBuilt, ENTRIES, ROOT } from './build.mjs';

const entry = process.argv[2];
if (!entry || !(entry in ENTRIES)) {
  console.error(`usage: node scripts/run.mjs <${Object.keys(ENTRIES).join('|')}> [args…]`);
  process.exit(2);
}
try {
  // The PGlite template only serves the embedded database; on PostgreSQL it is not made.
  await ensureBuilt({ template: !process.env.DATABASE_URL });
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
// The entry reads its own arguments from process.argv.slice(2), as when run directly.
process.argv.splice(1, 2, join(ROOT, 'dist', `${entry}.js`));
createRequire(import.meta.url)(join(ROOT, 'dist', `${entry}.js`));
