/**
 * `npm run build` (and the first step of `npm start`, `npm run demo`, `npm run cli`): bundles the
 * server, the CLI and the demo into dist/ with esbuild, then prepares the embedded database's
 * template (scripts/pglite-template.mjs). Both are skipped when nothing they are made from
 * changed, so a second start does no work beyond hashing its inputs.
 *
 * Packages stay outside the bundle (`packages: 'external'`): Node loads them from node_modules as
 * before, so PGlite's wasm and data files, pg's optional native binding and pino's workers resolve
 * from their own folders. The lockfile is an input, so a new package version rebuilds.
 */
import { createHash } from 'node:crypto';
import console from 'node:console';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withLock } from './build-lock.mjs';
import { ensureTemplate } from './pglite-template.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Output name (under dist/) → source. Every output sits one folder deep: see `sourceDirname`. */
export const ENTRIES = {
  'server/main': 'server/main.ts',
  'server/cli': 'server/cli.ts',
  'server/make-pglite-template': 'server/make-pglite-template.ts',
  'demo/main': 'demo/main.ts',
};

/** Files that shape every output besides the bundled sources themselves, relative to the root. */
const alwaysInputs = (root) => ['package-lock.json', 'tsconfig.json', 'tsconfig.base.json', relative(root, fileURLToPath(import.meta.url))];

/**
 * Builds what is out of date under `root` (the repository; tests pass another folder and their own
 * `entries`). Returns what was done. Logs to stderr, and only when it builds, so `npm run cli`
 * output stays clean.
 */
export async function ensureBuilt({ root = ROOT, entries = ENTRIES, template = true, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const stampFile = join(root, 'dist', '.build-stamp.json');
  const outputs = Object.keys(entries).map((name) => `dist/${name}.js`);
  const result = { bundled: false, template: false };
  if (!upToDate(root, stampFile, outputs)) {
    await withLock(join(root, 'dist', '.build-lock'), async () => {
      if (upToDate(root, stampFile, outputs)) return; // another process built it while we waited
      const t0 = Date.now();
      log('Building the server (dist/)…');
      const inputs = await bundle(root, entries);
      writeAtomic(stampFile, JSON.stringify({ inputs: hashAll(root, [...alwaysInputs(root), ...inputs]), outputs }, null, 1));
      log(`Built in ${Date.now() - t0} ms.`);
      result.bundled = true;
    });
  }
  if (template) result.template = await ensureTemplate({ root, log });
  return result;
}

/** True when the stamp names the same content for every input and every output exists. */
function upToDate(root, stampFile, outputs) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(stamp.outputs) || outputs.some((o) => !stamp.outputs.includes(o) || !existsSync(join(root, o)))) return false;
  const inputs = stamp.inputs ?? {};
  if (alwaysInputs(root).some((file) => !(file in inputs))) return false;
  for (const [file, hash] of Object.entries(inputs)) if (hashFile(root, file) !== hash) return false;
  return true;
}

function hashAll(root, files) {
  return Object.fromEntries([...new Set(files)].sort().map((file) => [file, hashFile(root, file)]));
}

function hashFile(root, file) {
  try {
    return createHash('sha256').update(readFileSync(join(root, file))).digest('hex');
  } catch {
    return 'missing';
  }
}

/** Bundles every entry; returns the repository files that went into the bundles. */
async function bundle(root, entries) {
  const deep = Object.keys(entries).find((name) => name.split('/').length !== 2);
  if (deep) throw new Error(`entry ${deep}: every output must sit one folder deep in dist/ (see sourceDirname)`);
  const esbuild = await import('esbuild');
  const outdir = join(root, 'dist');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.entries(entries).map(([out, source]) => ({ out, in: source })),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    banner: { js: SOURCE_DIRNAME_HELPER },
    plugins: [sourceDirname(root)],
  });
  await esbuild.stop();
  return Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/'));
}

/**
 * A bundle is one file, so a module's own `__dirname` (demo/main.ts reads demo/public/, the fake
 * Linear reads test/fixtures/) would become dist/<folder>/. Each source's `__dirname` is
 * rewritten to its folder relative to the bundle's, which keeps working when the checkout moves.
 * See https://esbuild.github.io/api/#platform (esbuild leaves `__dirname` to Node).
 */
const SOURCE_DIRNAME_HELPER = 'const __sourceDirname = (folder) => require("node:path").join(__dirname, "..", "..", folder);';

function sourceDirname(root) {
  return {
    name: 'source-dirname',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!/\b__dirname\b/.test(source)) return undefined;
        const folder = relative(root, dirname(args.path)).split(sep).join('/');
        return {
          contents: source.replace(/\b__dirname\b/g, `__sourceDirname(${JSON.stringify(folder)})`),
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        };
      });
    },
  };
}

export function writeAtomic(file, content) {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureBuilt().catch((error) => {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
