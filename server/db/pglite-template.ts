/**
 * A prepared PGlite data directory that a new, empty data folder starts from. PGlite's first open of
 * an empty folder runs initdb, several seconds and hundreds of MB that the process keeps; copying
 * a directory that `npm run build` initialised and migrated once (server/make-pglite-template.ts)
 * takes a fraction of a second. The copy is only a head start: the server still runs whatever
 * migrations the template lacks. A template from another PGlite version is never used, since the
 * files belong to the Postgres build inside it.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** Where `npm run build` keeps it (gitignored with the rest of dist/). */
export const TEMPLATE_DIR = resolve(__dirname, '..', '..', 'dist', 'pglite-template');

const TemplateInfo = z.object({ key: z.string(), pglite: z.string() });
export type TemplateInfo = z.infer<typeof TemplateInfo>;

export const TEMPLATE_INFO_FILE = 'template.json';
/** The same layout as a data folder: `<DATA_DIR>/pglite`. */
export const TEMPLATE_DATA_FOLDER = 'pglite';

/** The installed PGlite's version (its package.json does not export itself, so found by path). */
export function installedPgliteVersion(): string {
  const main = require.resolve('@electric-sql/pglite');
  let dir = dirname(main);
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('the @electric-sql/pglite package.json was not found');
    dir = up;
  }
  const parsed = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')));
  return parsed.version;
}

export function readTemplateInfo(templateDir: string): TemplateInfo | undefined {
  try {
    const parsed = TemplateInfo.safeParse(JSON.parse(readFileSync(join(templateDir, TEMPLATE_INFO_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fills `folder` from the template when it holds no database yet. Returns false (and leaves the
 * folder to PGlite's own initdb) when there is no usable template or the folder is not empty.
 */
export function seedFromTemplate(folder: string, templateDir: string = TEMPLATE_DIR): boolean {
  if (existsSync(join(folder, 'PG_VERSION'))) return false;
  if (existsSync(folder) && readdirSync(folder).length > 0) return false;
  const info = readTemplateInfo(templateDir);
  const data = join(templateDir, TEMPLATE_DATA_FOLDER);
  if (!info || info.pglite !== installedPgliteVersion() || !existsSync(join(data, 'PG_VERSION'))) return false;
  // Copied beside the folder and renamed into place, so a crash mid-copy leaves no half database.
  const partial = `${folder}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(data, partial, { recursive: true });
  rmSync(folder, { recursive: true, force: true });
  renameSync(partial, folder);
  return true;
}
