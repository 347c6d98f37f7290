/**
 * A throwaway database per test file: a fresh PostgreSQL database when TEST_DATABASE_URL is set
 * (CI sets it), otherwise an in-memory PGlite.
 */
import { spawnSync } from 'node:child_process';
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
  const throwaway = await createThrowawayPostgres(admin, 'lfk_test');
  const database = createDatabase({ databaseUrl: throwaway.url, dataDir: 'memory' });
  return {
    ...database,
    url: throwaway.url,
    async drop() {
      await database.close();
      await throwaway.drop();
    },
  };
}

export interface ThrowawayPostgres {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database next to `adminUrl`'s; `drop()` removes it (connections forced out). */
export async function createThrowawayPostgres(adminUrl: string, prefix: string): Promise<ThrowawayPostgres> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const admin = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
    try {
      await admin.raw(sql);
    } finally {
      await admin.destroy();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => run(`drop database if exists ${name} with (force)`) };
}

/** Undefined when the PostgreSQL server at `url` answers; otherwise why not (for skips and fallbacks). */
export async function postgresProblemAt(url: string): Promise<string | undefined> {
  const probe = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 3000 });
  try {
    await probe.raw('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await probe.destroy();
  }
}

/**
 * The same question answered synchronously, in a child process: a test file must know before it
 * declares its tests whether they can run (jest only awaits inside hooks and tests).
 */
export function postgresProblemAtSync(url: string): string | undefined {
  const probe = `
    const { Client } = require(process.env.PROBE_PG);
    const client = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.query('select 1')).then(() => client.end(), (error) => {
      process.stdout.write(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
      client.end().catch(() => undefined);
    });`;
  const result = spawnSync(process.execPath, ['-e', probe], {
    env: { ...process.env, PROBE_URL: url, PROBE_PG: require.resolve('pg') },
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (result.status === 0) return undefined;
  return result.stdout.trim() || result.error?.message || `the probe exited with ${result.status ?? result.signal}`;
}
