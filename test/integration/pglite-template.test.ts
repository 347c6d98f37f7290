/**
 * A new PGlite data folder starts from the build's template (dist/pglite-template, made by jest's
 * global setup through `npm run build`): migrated already, the queue's schema in place, and a copy,
 * so writing to it leaves the template as it was. When no template fits, the folder is left alone.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../server/db/create-db';
import { migrationsComplete } from '../../server/db/migrate';
import { installedPgliteVersion, readTemplateInfo, seedFromTemplate, TEMPLATE_DIR } from '../../server/db/pglite-template';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lfk-template-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in template: the files seedFromTemplate looks at, not a real database. */
function fakeTemplate(pglite = installedPgliteVersion()): string {
  const template = join(dir, 'template');
  mkdirSync(join(template, 'pglite', 'base'), { recursive: true });
  writeFileSync(join(template, 'pglite', 'PG_VERSION'), '17\n');
  writeFileSync(join(template, 'pglite', 'base', 'file'), 'data');
  writeFileSync(join(template, 'template.json'), JSON.stringify({ key: 'k', pglite }));
  return template;
}

describe('seedFromTemplate', () => {
  it('copies the template into a folder that does not exist yet, leaving no partial copy', () => {
    const folder = join(dir, 'data', 'pglite');
    mkdirSync(join(dir, 'data'));
    expect(seedFromTemplate(folder, fakeTemplate())).toBe(true);
    expect(readFileSync(join(folder, 'base', 'file'), 'utf8')).toBe('data');
    expect(readdirSync(join(dir, 'data'))).toEqual(['pglite']);
  });

  it('copies into an empty folder', () => {
    const folder = join(dir, 'empty');
    mkdirSync(folder);
    expect(seedFromTemplate(folder, fakeTemplate())).toBe(true);
    expect(existsSync(join(folder, 'PG_VERSION'))).toBe(true);
  });

  it('never touches a folder that holds a database or anything else', () => {
    const template = fakeTemplate();
    const database = join(dir, 'database');
    mkdirSync(database);
    writeFileSync(join(database, 'PG_VERSION'), 'mine');
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    expect(seedFromTemplate(database, template)).toBe(false);
    expect(seedFromTemplate(other, template)).toBe(false);
    expect(readFileSync(join(database, 'PG_VERSION'), 'utf8')).toBe('mine');
    expect(readdirSync(other)).toEqual(['notes.txt']);
  });

  it('ignores a template made by another PGlite version, or none at all', () => {
    expect(seedFromTemplate(join(dir, 'a'), fakeTemplate('0.0.1'))).toBe(false);
    expect(seedFromTemplate(join(dir, 'b'), join(dir, 'missing'))).toBe(false);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });
});

describe("the build's template", () => {
  it('exists for the installed PGlite', () => {
    expect(readTemplateInfo(TEMPLATE_DIR)?.pglite).toBe(installedPgliteVersion());
  });

  it('gives a new data folder every migration and the queue schema, as a copy of its own', async () => {
    const database = createDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      expect(await migrationsComplete(database.db)).toBe(true);
      const schema = (await database.db.raw("select to_regclass('pgboss.job') is not null as present")) as { rows: Array<{ present: boolean }> };
      expect(schema.rows[0]?.present).toBe(true);
      await database.db.raw('create table only_in_this_copy (id int)');
    } finally {
      await database.close();
    }
    const again = createDatabase({ databaseUrl: undefined, dataDir: join(dir, 'second') });
    try {
      const table = (await again.db.raw("select to_regclass('only_in_this_copy') is not null as present")) as { rows: Array<{ present: boolean }> };
      expect(table.rows[0]?.present).toBe(false);
    } finally {
      await again.close();
    }
  });
});
