/**
 * Where the Kommo limiter keeps its slots. On PostgreSQL every process of the deployment shares
 * them in the database (db/repos/rate-slots.ts). PGlite's folder can be opened by one process
 * only, so there the slots live in that process, under the same rules, and the limiter costs no
 * statement on PGlite's single connection (before, each Kommo call queued two or three there).
 */
import { performance } from 'node:perf_hooks';
import type { Database, DbOrTrx } from './db/create-db';
import { SEND_WITHIN_MS, WINDOW_MS, acquireRateSlot } from './db/repos/rate-slots';

export interface RateSlots {
  /**
   * Waits for a slot of `bucket` for a request that may take up to `requestTimeoutMs`; resolves
   * with the function to call once its answer has arrived (the slot is then free a window later).
   * Not calling it leaves the slot held until its hold runs out, which is the safe side.
   */
  acquire(bucket: string, perSecond: number, requestTimeoutMs: number): Promise<() => void>;
}

export function sharedRateSlots(db: DbOrTrx): RateSlots {
  return { acquire: (bucket, perSecond, requestTimeoutMs) => acquireRateSlot(db, bucket, perSecond, requestTimeoutMs) };
}

export interface LocalRateSlotsOptions {
  /** No slot is granted before this time (on `clock`): a previous process may have just sent. */
  busyUntil?: number;
  clock?: () => number;
}

interface Slot {
  /** Free once `clock()` reaches this. */
  freeAt: number;
  /** Which grant holds it, so a late release of an expired grant does not free a newer one. */
  grant: number;
}

interface Bucket {
  slots: Slot[];
  waiting: Array<{ perSecond: number; holdMs: number; grant: (release: () => void) => void }>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The slots in this process, with the shared limiter's rules: a slot is held from its grant until
 * its answer and is free a window after the answer; one never given back (the request failed
 * without an answer) is free a window after the longest its request could have been under way,
 * as in the shared limiter. Waiters are served in arrival order.
 */
export function localRateSlots(options: LocalRateSlotsOptions = {}): RateSlots {
  const clock = options.clock ?? (() => performance.now());
  const busyUntil = options.busyUntil ?? 0;
  const buckets = new Map<string, Bucket>();
  let grants = 0;

  function slotsOf(bucket: Bucket, perSecond: number): Slot[] {
    while (bucket.slots.length < perSecond) bucket.slots.push({ freeAt: busyUntil, grant: 0 });
    // A bucket keeps its slots whatever the configured rate: only the first `perSecond` are used.
    return bucket.slots.slice(0, perSecond);
  }

  function serve(bucket: Bucket): void {
    bucket.timer = undefined;
    for (;;) {
      const next = bucket.waiting[0];
      if (!next) return;
      const now = clock();
      const slots = slotsOf(bucket, next.perSecond);
      const free = slots.filter((s) => s.freeAt <= now).sort((a, b) => a.freeAt - b.freeAt)[0];
      if (!free) {
        const soonest = Math.min(...slots.map((s) => s.freeAt));
        bucket.timer = setTimeout(() => serve(bucket), Math.max(Math.ceil(soonest - now), 1));
        return;
      }
      bucket.waiting.shift();
      const grant = ++grants;
      free.grant = grant;
      free.freeAt = now + next.holdMs + WINDOW_MS;
      next.grant(() => {
        if (free.grant !== grant) return;
        free.grant = 0;
        free.freeAt = clock() + WINDOW_MS;
        // The timer may wait for a hold to run out; this slot now frees sooner.
        if (bucket.waiting.length > 0) {
          clearTimeout(bucket.timer);
          serve(bucket);
        }
      });
    }
  }

  return {
    acquire(name, perSecond, requestTimeoutMs) {
      let bucket = buckets.get(name);
      if (!bucket) {
        bucket = { slots: [], waiting: [], timer: undefined };
        buckets.set(name, bucket);
      }
      const holdMs = SEND_WITHIN_MS + requestTimeoutMs + WINDOW_MS;
      const target = bucket;
      return new Promise((grant) => {
        target.waiting.push({ perSecond, holdMs, grant });
        if (!target.timer) serve(target);
      });
    },
  };
}

/** One limiter per database object, so every part of a process shares it. */
const perDatabase = new WeakMap<object, RateSlots>();

/**
 * The limiter for a database: shared in PostgreSQL, in this process for PGlite. A process that
 * opens a PGlite folder may follow one that was killed a moment ago, mid-request: it grants no
 * slot before a window from its start.
 */
export function rateSlotsFor(database: Pick<Database, 'db' | 'kind' | 'location'>): RateSlots {
  const known = perDatabase.get(database.db);
  if (known) return known;
  const slots =
    database.kind === 'postgres'
      ? sharedRateSlots(database.db)
      : localRateSlots({ busyUntil: database.location === 'memory' ? 0 : performance.now() + WINDOW_MS });
  perDatabase.set(database.db, slots);
  return slots;
}
