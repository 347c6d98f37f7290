/**
 * PostgreSQL is the system of record. With no DATABASE_URL the server runs on an embedded PGlite
 * database in the data folder, so `npm start` works on a bare machine with the same SQL dialect.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import knex, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';

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
}

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
  if (folder) mkdirSync(folder, { recursive: true });
  const db = knex({ client: ClientPgLite, dialect: 'postgres', connection: folder ? { filename: folder } : {} });
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
