/**
 * A throwaway database per test file: a fresh PostgreSQL database when TEST_DATABASE_URL is set
 * (CI sets it), otherwise an in-memory PGlite.
 */
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { createDatabase, type Database } from '../../server/db/create-db';

export interface TestDatabase extends Database {
  /** The URL of the throwaway PostgreSQL database; undefined on PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

export function testDatabaseKind(): 'postgres' | 'pglite' {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    const database = createDatabase({ databaseUrl: undefined, dataDir: 'memory' });
    return { ...database, url: undefined, drop: () => database.close() };
  }
  const name = `lfk_test_${randomBytes(6).toString('hex')}`;
  const adminDb = knex({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
  await adminDb.raw(`create database ${name}`);
  await adminDb.destroy();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = createDatabase({ databaseUrl: url.toString(), dataDir: 'memory' });
  return {
    ...database,
    url: url.toString(),
    async drop() {
      await database.close();
      const cleanup = knex({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
      await cleanup.raw(`drop database if exists ${name} with (force)`);
      await cleanup.destroy();
    },
  };
}
