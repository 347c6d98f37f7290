/**
 * Shared pieces of the reliability suite: databases (PostgreSQL when reachable, else PGlite),
 * random fault injection on the fakes, a seeded RNG, and the secret scanner.
 */
import type { Knex } from 'knex';
import { createThrowawayPostgres, postgresProblemAtSync, type ThrowawayPostgres } from '../helpers/test-db';
import type { FakeKommo } from '../fakes/kommo';
import type { FakeLinear } from '../fakes/linear';

export const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

let probed: { problem: string | undefined } | undefined;
/** Undefined when PostgreSQL answers; otherwise why not. Probed once per test file. */
export function postgresProblem(): string | undefined {
  probed ??= { problem: postgresProblemAtSync(ADMIN_URL) };
  return probed.problem;
}

/**
 * `describe` for tests that need PostgreSQL itself (PGlite cannot stand in). Without a reachable
 * PostgreSQL the block is skipped under a title that says why, or, when `CI` is set, replaced by a
 * failing test: CI must never turn green by skipping.
 */
export function describeWithPostgres(name: string, fn: () => void): void {
  const problem = postgresProblem();
  if (!problem) {
    describe(name, fn);
    return;
  }
  const where = new URL(ADMIN_URL);
  if (where.password) where.password = '***';
  const why = `no PostgreSQL at ${where.toString()} (${problem}); start one or set TEST_DATABASE_URL`;
  if (process.env.CI && process.env.CI !== 'false') {
    describe(name, () => {
      it('needs PostgreSQL', () => {
        throw new Error(`${why}. CI is set, so this is a failure, not a skip.`);
      });
    });
    return;
  }
  describe.skip(`${name} [SKIPPED: ${why}]`, fn);
}

export type PgDatabase = ThrowawayPostgres;

export function createPgDatabase(): Promise<PgDatabase> {
  return createThrowawayPostgres(ADMIN_URL, 'lfk_rel');
}

/** mulberry32: small, fast, reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface FaultStats {
  kommo5xx: number;
  kommoTimeouts: number;
  kommo429: number;
  linear5xx: number;
  linearTimeouts: number;
  linearRateLimited: number;
}

/**
 * The fakes inject faults one request at a time; this keeps arming them in proportion to the
 * traffic seen since the last tick: ~10 % 5xx, ~5 % timeouts, and now and then a burst of 429 /
 * RATELIMITED.
 */
export function randomFaults(kommos: FakeKommo[], linear: FakeLinear, random: () => number): { stats: FaultStats; stop(): void } {
  const stats: FaultStats = { kommo5xx: 0, kommoTimeouts: 0, kommo429: 0, linear5xx: 0, linearTimeouts: 0, linearRateLimited: 0 };
  const seen = new Map<object, number>();
  const fresh = (key: object, total: number) => {
    const before = seen.get(key) ?? 0;
    seen.set(key, total);
    return total - before;
  };
  const draw = (n: number, p: number) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (random() < p) k++;
    return k;
  };
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    for (const kommo of kommos) {
      const n = fresh(kommo, kommo.requests.length);
      const errors = draw(n, 0.1);
      const timeouts = draw(n, 0.05);
      if (errors > 0) kommo.inject({ kind: 'status', status: random() < 0.5 ? 500 : 503, path: /^\/api\/v4\//, times: errors });
      if (timeouts > 0) kommo.inject({ kind: 'timeout', path: /^\/api\/v4\//, times: timeouts });
      if (random() < 0.02) {
        kommo.inject({ kind: 'status', status: 429, path: /^\/api\/v4\//, times: 3, headers: { 'retry-after': '1' } });
        stats.kommo429 += 3;
      }
      stats.kommo5xx += errors;
      stats.kommoTimeouts += timeouts;
    }
    const n = fresh(linear, linear.requests.length);
    const errors = draw(n, 0.1);
    const timeouts = draw(n, 0.05);
    for (let i = 0; i < errors; i++) linear.inject({ kind: random() < 0.3 ? 'http500-after-commit' : 'http500' });
    for (let i = 0; i < timeouts; i++) linear.inject({ kind: 'timeout' });
    if (random() < 0.02) {
      linear.inject({ kind: 'ratelimited', times: 3 });
      stats.linearRateLimited += 3;
    }
    stats.linear5xx += errors;
    stats.linearTimeouts += timeouts;
  }, 250);
  return {
    stats,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      for (const k of kommos) k.clearFaults();
    },
  };
}

/** Every row of every table (ours and the queue's) as JSON text. */
export async function dumpDatabase(db: Knex): Promise<string> {
  const tables = (await db.raw(
    `select table_schema, table_name from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`,
  )) as { rows: { table_schema: string; table_name: string }[] };
  const parts: string[] = [];
  for (const t of tables.rows) {
    const rows = (await db.raw(`select row_to_json(x)::text as j from "${t.table_schema}"."${t.table_name}" x`)) as { rows: { j: string }[] };
    parts.push(`## ${t.table_schema}.${t.table_name}`, ...rows.rows.map((r) => r.j));
  }
  return parts.join('\n');
}

/** Names of the secrets found in any of the texts (with where). */
export function findSecrets(secrets: Record<string, string>, texts: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
    for (const [where, text] of Object.entries(texts)) {
      if ([...forms].some((f) => f.length >= 8 && text.includes(f))) found.push(`${name} in ${where}`);
    }
  }
  return found;
}
