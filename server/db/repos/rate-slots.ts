/**
 * A sliding-window limiter shared by every process on the database: a bucket has N slots. A slot
 * is taken for one request and given back once that request's answer has arrived; it can be taken
 * again a window after that. An answer arrives after its request reached the service, so two
 * requests of one slot reach the service at least a window apart, and no window sees more than
 * N of them: however many workers or instances run, and however late a process gets scheduled
 * between its grant and its send (a machine short of CPU), since the window counts from the
 * answer, not from the grant. A slot that is never given back (the process died, the request
 * timed out) frees itself after the longest time its request could have been under way.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { DbOrTrx } from '../create-db';
import { parseRow } from '../rows';

const Granted = z.object({ rows: z.array(z.object({ slot: z.number(), stamp: z.string() })) });
const Wait = z.object({ rows: z.array(z.object({ wait_ms: z.union([z.string(), z.number()]).nullish() })) });

/** Kommo's one-second window, plus what millisecond clocks can round away. */
export const WINDOW_MS = 1010;
/** A grant not sent within this (a stalled process) is dropped: it may no longer be sent. */
export const SEND_WITHIN_MS = 1000;
/** Buckets whose slot rows exist, per database (tests run several databases in one process). */
const initialized = new WeakMap<object, Set<string>>();

export type RateSlot = { granted: true; slot: number; stamp: string } | { granted: false; retryInMs: number };

/**
 * Takes a free slot, held for at most `holdMs` unless given back earlier, or says how long until
 * one can free up. Only slots below `perSecond` are used, so a bucket keeps its name whatever the
 * configured rate.
 */
export async function takeRateSlot(db: DbOrTrx, bucket: string, perSecond: number, holdMs: number): Promise<RateSlot> {
  const known = initialized.get(db) ?? new Set<string>();
  const rowsKey = `${bucket}#${perSecond}`;
  if (!known.has(rowsKey)) {
    const rows = Array.from({ length: perSecond }, (_, slot) => ({ bucket, slot, used_at: new Date(0) }));
    await db('rate_slots').insert(rows).onConflict(['bucket', 'slot']).ignore();
    known.add(rowsKey);
    initialized.set(db, known);
  }
  const result = await db.raw(
    `with picked as (
       select bucket, slot from rate_slots
       where bucket = ? and slot < ? and used_at <= clock_timestamp() - (? * interval '1 millisecond')
       order by used_at asc, slot asc limit 1
       for update skip locked
     )
     update rate_slots r set used_at = clock_timestamp() + (? * interval '1 millisecond')
       from picked
      where r.bucket = picked.bucket and r.slot = picked.slot
     returning r.slot, r.used_at::text as stamp`,
    [bucket, perSecond, WINDOW_MS, Math.round(holdMs)],
  );
  const granted = parseRow(Granted, result, 'rate_slots').rows[0];
  if (granted) return { granted: true, ...granted };
  // A slot in use frees a window after its answer, so never sooner than a window from now.
  const oldest = await db.raw(
    `select extract(epoch from min(used_at) + (? * interval '1 millisecond') - clock_timestamp()) * 1000 as wait_ms
       from rate_slots where bucket = ? and slot < ? and used_at <= clock_timestamp()`,
    [WINDOW_MS, bucket, perSecond],
  );
  const wait = Number(parseRow(Wait, oldest, 'rate_slots').rows[0]?.wait_ms ?? WINDOW_MS);
  return { granted: false, retryInMs: Math.min(Math.max(Math.ceil(wait), 5), WINDOW_MS) };
}

/** Gives a slot back after its request's answer arrived: it can be taken a window from now. */
export async function releaseRateSlot(db: DbOrTrx, bucket: string, slot: number, stamp: string): Promise<void> {
  // Only the grant that took it: a slot that expired meanwhile may have been taken again.
  await db('rate_slots').where({ bucket, slot }).andWhereRaw('used_at = ?::timestamptz', [stamp]).update({ used_at: db.raw('clock_timestamp()') });
}

/**
 * Waits for a slot for a request that may take up to `requestTimeoutMs`. Resolves with the
 * function to call once the answer has arrived; the caller sends at once. Not calling it (an
 * error without an answer) leaves the slot held until it expires, which is the safe side.
 */
export async function acquireRateSlot(
  db: DbOrTrx,
  bucket: string,
  perSecond: number,
  requestTimeoutMs: number,
  clock: () => number = () => performance.now(),
): Promise<() => void> {
  const holdMs = SEND_WITHIN_MS + requestTimeoutMs + WINDOW_MS;
  for (;;) {
    const askedAt = clock();
    const slot = await takeRateSlot(db, bucket, perSecond, holdMs);
    if (slot.granted) {
      // Too late to send within the hold: dropped, and it frees itself when the hold ends.
      if (clock() - askedAt > SEND_WITHIN_MS) continue;
      return () => void releaseRateSlot(db, bucket, slot.slot, slot.stamp).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, slot.retryInMs));
  }
}
