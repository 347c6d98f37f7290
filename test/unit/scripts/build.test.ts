/**
 * scripts/build.mjs on a small project of its own: what makes it rebuild and what does not, and a
 * bundled module's `__dirname` staying its source folder. Runs in a plain Node process (the script
 * is an ES module that jest's CommonJS transform would rewrite).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const BUILD_SCRIPT = pathToFileURL(resolve(__dirname, '../../../scripts/build.mjs')).href;
const run = promisify(execFile);

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lfk-build-'));
  mkdirSync(join(root, 'app'));
  mkdirSync(join(root, 'lib', 'assets'), { recursive: true });
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
  writeFileSync(join(root, 'tsconfig.json'), '{}');
  writeFileSync(join(root, 'tsconfig.base.json'), '{}');
  writeFileSync(join(root, 'app', 'main.ts'), "import { greeting, assets } from '../lib/greeting';\nconsole.log(JSON.stringify({ greeting, assets }));\n");
  writeFileSync(join(root, 'lib', 'greeting.ts'), "import { join } from 'node:path';\nexport const greeting: string = 'hello';\nexport const assets = join(__dirname, 'assets');\n");
  writeFileSync(join(root, 'lib', 'unused.ts'), 'export const unused = 1;\n');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

async function build(): Promise<{ bundled: boolean; template: boolean }> {
  const code = `import { ensureBuilt } from ${JSON.stringify(BUILD_SCRIPT)};
const result = await ensureBuilt({ root: ${JSON.stringify(root)}, entries: { 'app/main': 'app/main.ts' }, template: false, log: () => {} });
process.stdout.write(JSON.stringify(result));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, NODE_OPTIONS: '' }, timeout: 30_000 });
  return JSON.parse(stdout) as { bundled: boolean; template: boolean };
}

async function runOutput(): Promise<{ greeting: string; assets: string }> {
  const { stdout } = await run(process.execPath, [join(root, 'dist', 'app', 'main.js')], { env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(stdout) as { greeting: string; assets: string };
}

it('bundles on the first run and not on a second one', async () => {
  expect(await build()).toEqual({ bundled: true, template: false });
  expect(await build()).toEqual({ bundled: false, template: false });
  expect((await runOutput()).greeting).toBe('hello');
});

it("keeps each source's own __dirname in the bundle", async () => {
  await build();
  expect((await runOutput()).assets).toBe(join(root, 'lib', 'assets'));
});

it('rebuilds when a bundled source changes, and the output has the change', async () => {
  await build();
  writeFileSync(join(root, 'lib', 'greeting.ts'), "export const greeting: string = 'hola';\nexport const assets = '';\n");
  expect((await build()).bundled).toBe(true);
  expect((await runOutput()).greeting).toBe('hola');
});

it('does not rebuild for a new mtime with the same content, or a file the bundle does not use', async () => {
  await build();
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(root, 'lib', 'greeting.ts'), later, later);
  writeFileSync(join(root, 'lib', 'unused.ts'), 'export const unused = 2;\n');
  expect((await build()).bundled).toBe(false);
});

it('rebuilds when the lockfile changes (another package version)', async () => {
  await build();
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
  expect((await build()).bundled).toBe(true);
});

it('rebuilds when an output is missing', async () => {
  await build();
  rmSync(join(root, 'dist', 'app', 'main.js'));
  expect((await build()).bundled).toBe(true);
  expect((await runOutput()).greeting).toBe('hello');
});

it('rebuilds when the stamp is unreadable', async () => {
  await build();
  writeFileSync(join(root, 'dist', '.build-stamp.json'), 'not json');
  expect((await build()).bundled).toBe(true);
});
