/**
 * What every benchmark scenario needs: a throwaway database (PostgreSQL or PGlite), the real
 * server as a child process on it, loopback fakes, timing helpers and a forked load generator.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createThrowawayPostgres, postgresProblemAt } from '../test/helpers/test-db';
import { createDatabase, type Database } from '../server/db/create-db';
import { migrateToLatest } from '../server/db/migrate';
import type { FakeLinear } from '../test/fakes/linear';
import type { FakeKommo } from '../test/fakes/kommo';
import { startChildServer, type ChildServer } from '../test/helpers/child-server';
import { singleAccountEnv } from '../test/helpers/single-account-env';

export type DbKind = 'pglite' | 'postgres';

export const ROOT = resolve(__dirname, '..');

export interface BenchDb {
  kind: DbKind;
  /** DATABASE_URL or DATA_DIR for the server process. */
  env: Record<string, string>;
  /**
   * Direct access to the same database. On PGlite only while no server process has it open
   * (an embedded database has one owner).
   */
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export function postgresAdminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export async function createBenchDb(kind: DbKind): Promise<BenchDb> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'lfk-bench-'));
    return {
      kind,
      env: { DATA_DIR: dir },
      async open() {
        const database = createDatabase({ databaseUrl: undefined, dataDir: dir });
        await migrateToLatest(database.db);
        return database;
      },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const throwaway = await createThrowawayPostgres(postgresAdminUrl(), 'lfk_bench');
  return {
    kind,
    env: { DATABASE_URL: throwaway.url },
    async open() {
      const database = createDatabase({ databaseUrl: throwaway.url, dataDir: 'memory' });
      await migrateToLatest(database.db);
      return database;
    },
    drop: () => throwaway.drop(),
  };
}

export function postgresReachable(): Promise<string | undefined> {
  return postgresProblemAt(postgresAdminUrl());
}

export interface ServerEnvInput {
  db: BenchDb;
  kommo: FakeKommo;
  linear: FakeLinear;
  encryptionKey: string;
  webhookSecret: string;
  linearWebhookSecret: string;
  client: { id: string; secret: string };
  extra?: Record<string, string>;
}

export const PUBLIC_URL = 'http://bench.localhost';

export function serverEnv(input: ServerEnvInput): Record<string, string> {
  return singleAccountEnv({
    kommo: input.kommo,
    linear: input.linear,
    database: input.db.env,
    webhookSecret: input.webhookSecret,
    encryptionKey: input.encryptionKey,
    extra: {
      PUBLIC_URL,
      KOMMO_CLIENT_ID: input.client.id,
      KOMMO_CLIENT_SECRET: input.client.secret,
      LINEAR_WEBHOOK_SECRET: input.linearWebhookSecret,
      ...input.extra,
    },
  });
}

export function newSecrets() {
  return {
    encryptionKey: randomBytes(32).toString('base64'),
    webhookSecret: randomBytes(18).toString('hex'),
    linearWebhookSecret: randomBytes(24).toString('hex'),
    client: { id: randomBytes(16).toString('hex'), secret: randomBytes(32).toString('base64url') },
  };
}

export async function startServerProcess(env: Record<string, string>): Promise<ChildServer> {
  return startChildServer(env, 60_000);
}

/** Stops a server process cleanly (SIGTERM), so an embedded database is closed properly. */
export async function stopServerProcess(child: ChildServer): Promise<void> {
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
  await child.kill('SIGTERM');
  clearTimeout(timer);
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until<T>(what: string, check: () => T | undefined | false, timeoutMs: number, pollMs = 2): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function roundResult(r: LoadResult): LoadResult {
  return {
    ...r,
    throughput: round(r.throughput, 0),
    p50: round(r.p50, 2),
    p99: round(r.p99, 2),
    max: round(r.max, 2),
    ...(r.serverP50 === undefined ? {} : { serverP50: round(r.serverP50, 2) }),
    ...(r.serverP99 === undefined ? {} : { serverP99: round(r.serverP99, 2) }),
  };
}

/** What the forked load generator is asked to do. */
export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Per request: one of these bodies at random (instead of `body`). */
  bodies?: string[];
  connections: number;
  durationSeconds?: number;
  amount?: number;
  /** Requests leave evenly spaced at this overall rate (open loop). */
  rate?: number;
  /** As fast as the server answers, with autocannon (for throughput); otherwise the paced generator. */
  saturate?: boolean;
  /** Per request: a random `${prefix}${1..max}` path. */
  randomPath?: { prefix: string; max: number };
  /** Per request: this header gets a fresh random UUID (e.g. Linear-Delivery). */
  uniqueHeader?: string;
  /**
   * Per request: the JSON body becomes a new Linear delivery (fresh `webhookId` and
   * `webhookTimestamp`), signed with this secret. A replayed body is deduplicated on its hash.
   */
  linearSecret?: string;
}

export interface LoadResult {
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  status: { '2xx': number; '4xx': number; '5xx': number };
  /** From the server's Server-Timing header, when it sends one (paced generator only). */
  serverP50?: number;
  serverP99?: number;
}

/** Runs a load in a separate Node process so the generator never shares an event loop with what it measures. */
export function runLoad(spec: LoadSpec, onTick?: () => void): Promise<LoadResult> {
  return new Promise((resolveLoad, reject) => {
    const child = fork(join(__dirname, 'load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ticker = onTick ? setInterval(onTick, 100) : undefined;
    child.once('message', (message: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
      if (ticker) clearInterval(ticker);
      child.kill();
      if (message.ok) resolveLoad(message.result);
      else reject(new Error(message.error));
    });
    child.once('error', reject);
    child.send(spec);
  });
}
