/**
 * A sliding-window limiter shared by every process on the database: a bucket has N slots, each
 * holding the time it last let a request through. A caller may go only when some slot was last
 * used more than a window ago; it stamps that slot with the database's clock at the moment of
 * permission and fires at once. So no window sees more than N requests, however many workers
 * or instances run. The window carries a margin for the time between permission and arrival.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { DbOrTrx } from '../create-db';
import { parseRow } from '../rows';

const Granted = z.object({ rows: z.array(z.unknown()) });
const Wait = z.object({ rows: z.array(z.object({ wait_ms: z.union([z.string(), z.number()]).nullish() })) });

export const WINDOW_MS = 1150;
/**
 * A grant whose answer took longer than this to reach us may have been stamped long before the
 * request can leave; fired late, it would land in the next window next to that window's own
 * requests. Such a grant is let go (its slot stays used) and another is taken, a few times at most
 * so that a slow database cannot stall every call.
 */
export const STALE_GRANT_MS = 100;
const MAX_STALE_GRANTS = 3;
/** Buckets whose slot rows exist, per database (tests run several databases in one process). */
const initialized = new WeakMap<object, Set<string>>();

export type RateSlot = { granted: true } | { granted: false; retryInMs: number };

/** Takes a free slot now, or says how long until the oldest one frees up. */
export async function takeRateSlot(db: DbOrTrx, bucket: string, perSecond: number): Promise<RateSlot> {
  const key = `${bucket}#${perSecond}`;
  const known = initialized.get(db) ?? new Set<string>();
  if (!known.has(key)) {
    const rows = Array.from({ length: perSecond }, (_, slot) => ({ bucket: key, slot, used_at: new Date(0) }));
    await db('rate_slots').insert(rows).onConflict(['bucket', 'slot']).ignore();
    known.add(key);
    initialized.set(db, known);
  }
  const result = await db.raw(
    `with picked as (
       select bucket, slot from rate_slots
       where bucket = ? and used_at <= clock_timestamp() - (? * interval '1 millisecond')
       order by used_at asc, slot asc limit 1
       for update skip locked
     )
     update rate_slots r set used_at = clock_timestamp()
       from picked
      where r.bucket = picked.bucket and r.slot = picked.slot
     returning r.slot`,
    [key, WINDOW_MS],
  );
  if (parseRow(Granted, result, 'rate_slots').rows.length > 0) return { granted: true };
  const oldest = await db.raw(
    `select greatest(0, extract(epoch from (min(used_at) + (? * interval '1 millisecond') - clock_timestamp())) * 1000) as wait_ms
       from rate_slots where bucket = ?`,
    [WINDOW_MS, key],
  );
  const wait = Number(parseRow(Wait, oldest, 'rate_slots').rows[0]?.wait_ms ?? 20);
  return { granted: false, retryInMs: Math.min(Math.max(Math.ceil(wait), 5), WINDOW_MS) };
}

/** Waits until a request may go now: a fresh grant, after sleeping out refusals. */
export async function waitForRateSlot(db: DbOrTrx, bucket: string, perSecond: number, clock: () => number = () => performance.now()): Promise<void> {
  for (let stale = 0; ; ) {
    const askedAt = clock();
    const slot = await takeRateSlot(db, bucket, perSecond);
    if (slot.granted) {
      if (clock() - askedAt <= STALE_GRANT_MS || ++stale >= MAX_STALE_GRANTS) return;
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, slot.retryInMs));
  }
}
