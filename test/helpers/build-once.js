/**
 * Jest global setup: `npm run build` once before any test file runs, so the tests that start the
 * server as a process run the compiled build users run, and no test pays for the build inside its
 * own timeout. A no-op when dist/ is up to date.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

module.exports = function buildOnce() {
  const root = path.resolve(__dirname, '../..');
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
  if (result.status !== 0) throw new Error('npm run build failed (output above)');
};
