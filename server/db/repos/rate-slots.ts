/**
 * A sliding-window limiter shared by every process on the database: a bucket has N slots, each
 * holding the time of one request; a caller takes the oldest free slot and may fire one second
 * (plus a margin for network jitter) after it was last used. No window of one second ever
 * sees more than N requests, however many workers or instances run.
 */
import type { DbOrTrx } from '../create-db';

const WINDOW_MS = 1050;
/** Buckets whose slot rows exist, per database (tests run several databases in one process). */
const initialized = new WeakMap<object, Set<string>>();

export interface RateSlot {
  /** How long to wait before firing; 0 when the request may go now. */
  waitMs: number;
}

/** Returns undefined when every slot is momentarily held by a concurrent caller. */
export async function takeRateSlot(db: DbOrTrx, bucket: string, perSecond: number): Promise<RateSlot | undefined> {
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
       select bucket, slot, used_at from rate_slots
       where bucket = ? order by used_at asc, slot asc limit 1
       for update skip locked
     )
     update rate_slots r
        set used_at = greatest(clock_timestamp(), picked.used_at + (? * interval '1 millisecond'))
       from picked
      where r.bucket = picked.bucket and r.slot = picked.slot
     returning extract(epoch from (r.used_at - clock_timestamp())) * 1000 as wait_ms`,
    [key, WINDOW_MS],
  );
  const rows = (result as { rows: Array<{ wait_ms: string | number }> }).rows;
  const first = rows[0];
  if (!first) return undefined;
  return { waitMs: Math.max(0, Math.ceil(Number(first.wait_ms))) };
}
