/**
 * The build's second step: dist/pglite-template/, the migrated PGlite database that a new data
 * folder is copied from (server/db/pglite-template.ts). It is made by the bundled
 * dist/server/make-pglite-template.js, so its key is that bundle (the migrations, the queue's
 * schema code) plus the versions of PGlite and pg-boss, which stay outside the bundle.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { withLock } from './build-lock.mjs';

export const TEMPLATE = 'dist/pglite-template';
const MAKER = 'dist/server/make-pglite-template.js';

export function templateKey(root) {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(root, MAKER)));
  for (const pkg of ['@electric-sql/pglite', 'pg-boss']) hash.update(`${pkg}@${packageVersion(root, pkg)}\n`);
  return hash.digest('hex');
}

function packageVersion(root, name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
}

function currentKey(root) {
  try {
    return JSON.parse(readFileSync(join(root, TEMPLATE, 'template.json'), 'utf8')).key;
  } catch {
    return undefined;
  }
}

/** Makes the template unless one with the current key exists; true when it made one. */
export async function ensureTemplate({ root, log }) {
  const key = templateKey(root);
  if (currentKey(root) === key) return false;
  return withLock(join(root, 'dist', '.template-lock'), async () => {
    if (currentKey(root) === key) return false;
    const t0 = Date.now();
    log('Preparing the embedded database template (dist/pglite-template)…');
    const partial = join(root, `${TEMPLATE}.partial-${process.pid}`);
    rmSync(partial, { recursive: true, force: true });
    try {
      await run(process.execPath, [join(root, MAKER), partial, key], root);
      const target = join(root, TEMPLATE);
      if (existsSync(target)) rmSync(target, { recursive: true, force: true });
      renameSync(partial, target);
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
    log(`Prepared in ${Date.now() - t0} ms.`);
    return true;
  });
}

function run(command, args, cwd) {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? done() : reject(new Error(`${args[0]} exited with ${code}`))));
  });
}
