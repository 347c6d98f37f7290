/**
 * PostgreSQL is the system of record. With no DATABASE_URL the server runs on an embedded PGlite
 * database in the data folder, so `npm start` works on a bare machine with the same SQL dialect.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knex, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { seedFromTemplate } from './pglite-template';

export type Db = Knex;
/** A connection or an open transaction: repositories accept either. */
export type DbOrTrx = Knex | Knex.Transaction;

export interface Database {
  db: Knex;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, for the start-up log (no credentials). */
  location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  /** Folder for PGlite data; `memory` keeps it in memory (tests). */
  dataDir: string | 'memory';
  poolMax?: number;
  /** Where a new PGlite folder is copied from (pglite-template.ts); default: the build's. */
  pgliteTemplate?: string;
}

/**
 * Postgres inside PGlite shares this process's memory, and its defaults are sized for a database
 * server (128 MB of shared buffers, most of which end up resident). One small database needs a
 * fraction; https://pglite.dev/docs/api (startParams) lets the defaults be extended.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'wal_buffers=1MB'];
/**
 * For a new database (initdb): WAL in 1 MB segments instead of 16 MB, so a new data folder (and
 * the template each one is copied from, pglite-template.ts) holds 1 MB of log rather than 16.
 * https://www.postgresql.org/docs/17/app-initdb.html (--wal-segsize)
 */
export const PGLITE_INITDB_PARAMS = ['--wal-segsize=1'];

export function createDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) {
    const db = knex({
      client: 'pg',
      connection: options.databaseUrl,
      pool: { min: 0, max: options.poolMax ?? 10 },
    });
    return { db, kind: 'postgres', location: redactUrl(options.databaseUrl), close: () => db.destroy() };
  }
  const memory = options.dataDir === 'memory';
  const folder = memory ? undefined : resolve(options.dataDir, 'pglite');
  if (folder) {
    mkdirSync(resolve(folder, '..'), { recursive: true });
    seedFromTemplate(folder, options.pgliteTemplate);
    mkdirSync(folder, { recursive: true });
  }
  // knex-pglite takes a ready instance as `connection.pglite` (so PGlite's options reach it); knex's
  // types do not know that key, and `database` (what PGlite opens anyway) makes it a pg config to them.
  const connection = { pglite: new PGlite({ dataDir: folder, startParams: PGLITE_START_PARAMS, initDbStartParams: PGLITE_INITDB_PARAMS }), database: 'postgres' };
  const db = knex({ client: ClientPgLite, dialect: 'postgres', connection });
  return { db, kind: 'pglite', location: folder ?? 'memory', close: () => db.destroy() };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}
