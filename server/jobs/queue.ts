/**
 * The job queue: pg-boss 10 on the same database (PostgreSQL, or PGlite through knex). The only
 * module that imports pg-boss. Jobs are registered with a zod schema for their payload; retries
 * use exponential backoff; a rate-limited job runs again about a second later without using up
 * an attempt, and a job that names a later retry time is rescheduled for then; exhausted jobs
 * land in a dead-letter queue. Jobs sent with a `group` (an installation) are served fairly
 * across groups (fair-priority.ts).
 */
import { randomBytes } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { toAppError } from '../errors';
import type { Logger } from '../log';
import { createFairPriority } from './fair-priority';
import { createLocalWorkers } from './local-workers';
import { pgliteExecutor } from './pglite-executor';

export const DEAD_LETTER_QUEUE = 'dead-letter';
/** pg-boss states of a job that has yet to run: waiting (also those due later), due for a retry, running. */
export const PENDING_JOB_STATES = ['created', 'retry', 'active'] as const;
const MAX_BACKOFF_MS = 60_000;

/** 1 s, 2 s, 4 s … capped at a minute, with ±20 % jitter so retries of a burst spread out. */
export function backoffMs(attempt: number): number {
  return Math.round(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.8 + Math.random() * 0.4));
}

/**
 * "Too fast" is not an outage: a rate-limited job runs again when the service said (about a
 * second for Kommo's 429), with up to half a second of jitter so a refused burst spreads over the
 * limiter's next free slots, and without climbing the backoff ladder or using up an attempt.
 */
export function rateLimitedDelayMs(retryAfterMs: number | undefined, random: () => number = Math.random): number {
  return Math.round((retryAfterMs ?? 1000) + random() * 500);
}
/** Reruns after a rate limit before one counts as a failed attempt (a limit that never lifts). */
const MAX_RATE_LIMITED_RERUNS = 30;
const isRateLimited = (code: string) => code === 'kommo_rate_limited' || code === 'linear_rate_limited';
const SCHEMA = 'pgboss';

export interface JobContext {
  jobId: string;
  /**
   * This run of the job, for leases: pg-boss retries a job (after a crash or an expiry) under the
   * same id, so the id alone would let a rerun take over a lease the first run still holds.
   */
  runId: string;
  /** 0 on the first run. */
  attempt: number;
  /** No retry follows if this run fails. */
  finalAttempt: boolean;
}

export interface JobDefinition<S extends z.ZodType> {
  name: string;
  schema: S;
  handle(data: z.infer<S>, context: JobContext): Promise<void>;
}

export interface QueueOptions {
  kind: 'postgres' | 'pglite';
  db: Knex;
  databaseUrl: string | undefined;
  log: Logger;
  concurrency: number;
  retryLimit: number;
  /** A job running longer than this is presumed dead (crashed process) and retried. */
  expireInSeconds: number;
  pollingIntervalSeconds?: number;
  /** How often expired (crashed) jobs are detected; pg-boss's default is 2 minutes. */
  maintenanceIntervalSeconds?: number;
  /** How long a job that needs a Linear reconnect waits before it looks again; default 5 minutes. */
  waitForReconnectMs?: number;
}

export interface Queue {
  register<S extends z.ZodType>(definition: JobDefinition<S>): void;
  /** `workers: false` only sends (the CLI); the server also works the queues. */
  start(options?: { workers?: boolean }): Promise<void>;
  /**
   * Queues a job unless one with the same key is already waiting; wakes a local worker. Jobs of
   * a `group` with fewer jobs waiting run before those of a group with a backlog.
   */
  send(name: string, data: object, options: SendOptions): Promise<string | null>;
  /** Job counts by queue and state, for metrics and health. */
  counts(): Promise<Array<{ name: string; state: string; count: number }>>;
  /** How many jobs are in a `PENDING_JOB_STATES` state, dead letters aside; 0 means nothing more will run. */
  pending(): Promise<number>;
  stop(): Promise<void>;
}

export interface SendOptions {
  key: string;
  startAfterMs?: number;
  attempt?: number;
  /** The fairness group, e.g. the installation. */
  group?: string;
}

interface Envelope {
  payload: unknown;
  group?: string;
  attempt?: number;
  /** Reruns so far because of a rate limit (they do not count as attempts). */
  rateLimited?: number;
  /** Reruns so far while Linear needed a reconnect (they do not count as attempts either). */
  waited?: number;
}

/**
 * A job that needs Linear while the installation's "Connect Linear" grant is over waits for an
 * admin to reconnect instead of spending its attempts: it looks again every few minutes, for up
 * to a week. (Won jobs park their deal instead, and a reconnect queues those at once.)
 */
const DEFAULT_WAIT_FOR_RECONNECT_MS = 5 * 60_000;
const WAIT_FOR_RECONNECT_LIMIT_MS = 7 * 24 * 60 * 60_000;

export function createQueue(options: QueueOptions): Queue {
  const boss = new PgBoss(
    options.kind === 'pglite'
      ? { db: pgliteExecutor(options.db), schema: SCHEMA, schedule: false, ...maintenance(options) }
      : {
          connectionString: options.databaseUrl,
          max: 10,
          application_name: 'linear-for-kommo',
          schema: SCHEMA,
          schedule: false,
          ...maintenance(options),
        },
  );
  boss.on('error', (error: unknown) => options.log.warn({ err: error }, 'queue error'));
  const definitions = new Map<string, JobDefinition<z.ZodType>>();
  let started = false;
  const handlers = new Set<Promise<void>>();
  const pendingWorkers = new Set<NodeJS.Timeout>();
  const pollingSeconds = options.pollingIntervalSeconds ?? 2;
  // The queue polls with one idle worker per interval (local-workers.ts); a worker's own polling
  // is only a safety net.
  const local = createLocalWorkers((id) => boss.notifyWorker(id), pollingSeconds * 1000);
  const ownPollingSeconds = Math.max(30, pollingSeconds * 15);
  const fair = createFairPriority((name, group) => countWaiting(options.db, name, group));

  async function addWorker(definition: JobDefinition<z.ZodType>): Promise<void> {
    if (!started) return;
    // Known once `work` resolves; the handler cannot run before its first fetch answers.
    const self: { id?: string } = {};
    const id = await boss.work<Envelope>(definition.name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: ownPollingSeconds }, async ([job]) => {
      if (!job) return;
      if (self.id !== undefined) local.started(definition.name, self.id);
      const running = run(definition, job);
      handlers.add(running);
      try {
        await running;
      } finally {
        handlers.delete(running);
        // pg-boss waits out the rest of its polling interval after a job, found or not
        // (node_modules/pg-boss/src/worker.js): each worker would run at most one job per interval
        // and a backlog would drain at workers ÷ interval. A worker that just ran one looks again
        // at once; only an empty fetch waits.
        if (started && self.id !== undefined) local.finished(definition.name, self.id);
      }
    });
    self.id = id;
    local.add(definition.name, id);
  }

  async function run(definition: JobDefinition<z.ZodType>, job: PgBoss.JobWithMetadata<Envelope>): Promise<void> {
    const attempt = (job.data.attempt ?? 0) + job.retryCount;
    const finalAttempt = attempt >= options.retryLimit;
    const parsed = definition.schema.safeParse(job.data.payload);
    const log = options.log.child({ job: definition.name, jobId: job.id, attempt });
    if (!parsed.success) {
      // A payload we cannot read will never become readable: do not retry it.
      log.error({ issues: parsed.error.issues }, 'job payload is invalid; dropped');
      return;
    }
    try {
      await definition.handle(parsed.data, { jobId: job.id, runId: `${job.id}:${randomBytes(6).toString('hex')}`, attempt, finalAttempt });
    } catch (thrown) {
      const error = toAppError(thrown);
      const rateLimited = job.data.rateLimited ?? 0;
      if (isRateLimited(error.code) && rateLimited < MAX_RATE_LIMITED_RERUNS) {
        const delayMs = rateLimitedDelayMs(error.retryAfterMs);
        try {
          await sendJob(definition.name, job.data.payload as object, { key: job.singletonKey ?? job.id, startAfterMs: delayMs, attempt, rateLimited: rateLimited + 1, ...groupOf(job.data) });
        } catch {
          throw error;
        }
        // Polling would add up to its interval to the second: a local worker is woken when due.
        setTimeout(() => started && wake(definition.name), delayMs + 10).unref();
        log.info({ code: error.code, retryInMs: delayMs }, 'job rate-limited; runs again shortly');
        return;
      }
      const waited = job.data.waited ?? 0;
      const waitMs = options.waitForReconnectMs ?? DEFAULT_WAIT_FOR_RECONNECT_MS;
      if (error.code === 'linear_reconnect_needed' && waited * waitMs < WAIT_FOR_RECONNECT_LIMIT_MS) {
        try {
          await sendJob(definition.name, job.data.payload as object, { key: job.singletonKey ?? job.id, startAfterMs: waitMs, attempt, waited: waited + 1, ...groupOf(job.data) });
        } catch {
          throw error;
        }
        log.info({ code: error.code, retryInMs: waitMs }, 'job waits for Linear to be reconnected');
        return;
      }
      if (!error.retryable || finalAttempt) {
        log.error({ err: error, code: error.code }, 'job failed permanently');
        throw error;
      }
      // Exponential backoff capped at a minute, or later when the error names a time.
      const delayMs = Math.max(error.retryAfterMs ?? 0, backoffMs(attempt));
      try {
        await sendJob(definition.name, job.data.payload as object, { key: job.singletonKey ?? job.id, startAfterMs: delayMs, attempt: attempt + 1, ...groupOf(job.data) });
      } catch {
        throw error; // Could not reschedule (database away): pg-boss retries this job instead.
      }
      log.warn({ code: error.code, message: error.message, retryInMs: delayMs }, 'job will be retried');
    }
  }

  async function sendJob(name: string, data: object, o: SendOptions & { rateLimited?: number; waited?: number }) {
    const envelope: Envelope = {
      payload: data,
      attempt: o.attempt ?? 0,
      ...(o.rateLimited ? { rateLimited: o.rateLimited } : {}),
      ...(o.waited ? { waited: o.waited } : {}),
      ...groupOf(o),
    };
    const id = await boss.send(name, envelope, {
      singletonKey: o.key,
      ...(o.group === undefined ? {} : { priority: await fair.priorityFor(name, o.group) }),
      ...(o.startAfterMs ? { startAfter: new Date(Date.now() + o.startAfterMs) } : {}),
    });
    if (!o.startAfterMs) wake(name);
    return id;
  }

  const wake = (name: string) => local.sent(name);

  return {
    register(definition) {
      definitions.set(definition.name, definition as JobDefinition<z.ZodType>);
    },
    async start({ workers: work = true } = {}) {
      await boss.start();
      started = true;
      await ensureQueue(boss, DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, policy: 'standard' });
      for (const definition of definitions.values()) {
        await ensureQueue(boss, definition.name, {
          name: definition.name,
          // 'short': at most one waiting job per key, so duplicate deliveries collapse.
          policy: 'short',
          retryLimit: options.retryLimit,
          retryDelay: 1,
          retryBackoff: true,
          expireInSeconds: options.expireInSeconds,
          deadLetter: DEAD_LETTER_QUEUE,
        });
      }
      if (!work) return;
      // A worker polls as soon as it starts. The first of each queue starts now (waiting jobs run
      // at once); the others join after one polling interval, spread over the next, so their polls
      // do not all land together at start: on PGlite's single connection they would queue up in
      // front of everything else, the first readiness check included. New jobs wake a started
      // worker (`wake`).
      const intervalMs = pollingSeconds * 1000;
      for (const definition of definitions.values()) {
        if (options.concurrency > 0) local.poll(definition.name);
        for (let i = 0; i < options.concurrency; i++) {
          const delayMs = i === 0 ? 0 : intervalMs + Math.round((i * intervalMs) / options.concurrency);
          if (delayMs === 0) {
            await addWorker(definition);
            continue;
          }
          const timer = setTimeout(() => {
            pendingWorkers.delete(timer);
            addWorker(definition).catch((error: unknown) => options.log.warn({ err: error }, 'queue worker did not start'));
          }, delayMs);
          pendingWorkers.add(timer);
        }
      }
    },
    send: sendJob,
    async counts() {
      const result = await options.db.raw(`select name, state, count(*)::int as count from ${SCHEMA}.job group by name, state`);
      return (result as { rows: Array<{ name: string; state: string; count: number }> }).rows;
    },
    async pending() {
      const result = await options.db.raw(
        `select count(*)::int as count from ${SCHEMA}.job where state in (${PENDING_JOB_STATES.map(() => '?').join(', ')}) and name <> ?`,
        [...PENDING_JOB_STATES, DEAD_LETTER_QUEUE],
      );
      return (result as { rows: Array<{ count: number }> }).rows[0]?.count ?? 0;
    },
    async stop() {
      if (!started) return;
      started = false;
      local.stop();
      for (const timer of pendingWorkers) clearTimeout(timer);
      pendingWorkers.clear();
      await boss.stop({ graceful: true, timeout: 15_000, wait: true });
      // pg-boss resolves stop() before each worker loop has noticed; a loop still inside a handler
      // polls again a second later. Returning only once every handler is done and the loops have
      // had a turn to exit means nothing of the queue runs after stop().
      await Promise.allSettled([...handlers]);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const groupOf = (from: { group?: string }) => (typeof from.group === 'string' ? { group: from.group } : {});

/** Jobs of a fairness group that have yet to start (waiting, due later, or due for a retry). */
async function countWaiting(db: Knex, name: string, group: string): Promise<number> {
  const result = await db.raw(`select count(*)::int as count from ${SCHEMA}.job where name = ? and state < 'active' and data->>'group' = ?`, [name, group]);
  return (result as { rows: Array<{ count: number }> }).rows[0]?.count ?? 0;
}

function maintenance(options: QueueOptions) {
  return {
    supervise: true,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? Math.min(60, Math.max(1, Math.floor(options.expireInSeconds / 2))),
  };
}

async function ensureQueue(boss: PgBoss, name: string, queue: PgBoss.Queue): Promise<void> {
  const existing = await boss.getQueue(name);
  if (existing) await boss.updateQueue(name, queue);
  else await boss.createQueue(name, queue);
}

/** Which of `keys` have a job of `name` yet to finish (waiting, due for a retry, or running). */
export async function pendingJobKeys(db: Knex, name: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows: unknown = await db.withSchema(SCHEMA).from('job').where({ name }).whereIn('state', [...PENDING_JOB_STATES]).whereIn('singleton_key', keys).select('singleton_key');
  const list = Array.isArray(rows) ? rows : [];
  return new Set(list.flatMap((r: unknown) => (typeof r === 'object' && r !== null && 'singleton_key' in r && typeof r.singleton_key === 'string' ? [r.singleton_key] : [])));
}
