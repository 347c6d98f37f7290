import { randomUUID } from 'node:crypto';
import { migrateToLatest } from '../../../../../server/db/migrate';
import { takeRateSlot } from '../../../../../server/db/repos/rate-slots';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../helpers/test-db';

const WINDOW_MS = 1050;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
});
afterAll(() => database.drop());

/** Takes a slot, retrying the momentary "all slots held" answer the way the throttle does. */
async function schedule(bucket: string, perSecond: number): Promise<{ at: number; waitMs: number; spread: number }> {
  for (;;) {
    const before = Date.now();
    const slot = await takeRateSlot(database.db, bucket, perSecond);
    const after = Date.now();
    // The slot time is the database's clock at the call plus the wait: between these bounds.
    if (slot) return { at: before + slot.waitMs, waitMs: slot.waitMs, spread: after - before };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The largest number of scheduled times inside any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('takeRateSlot', () => {
  it('lets 7 calls go at once, then makes the 8th to 14th wait about a second', async () => {
    const bucket = `kommo:${randomUUID()}`;
    const slots = [];
    for (let i = 0; i < 14; i++) slots.push(await schedule(bucket, 7));
    const started = slots[0]?.at ?? 0;
    const elapsed = (slots[13]?.at ?? 0) - started;
    expect(elapsed).toBeGreaterThan(900);
    expect(slots.slice(0, 7).map((s) => s.waitMs)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    for (const slot of slots.slice(7, 14)) {
      expect(slot.waitMs).toBeGreaterThan(WINDOW_MS - 300);
      expect(slot.waitMs).toBeLessThanOrEqual(WINDOW_MS + 1);
    }
  });

  it('never schedules more than N calls in any 1050 ms window', async () => {
    const bucket = `kommo:${randomUUID()}`;
    const slots = [];
    for (let i = 0; i < 30; i++) slots.push(await schedule(bucket, 3));
    const jitter = Math.max(...slots.map((s) => s.spread)) + 2;
    expect(busiestWindow(slots.map((s) => s.at), WINDOW_MS - jitter)).toBe(3);
    // And the limiter does not over-throttle: 30 calls at 3/s span about 9 windows.
    const span = (slots[29]?.at ?? 0) - (slots[0]?.at ?? 0);
    expect(span).toBeGreaterThanOrEqual(9 * WINDOW_MS - jitter);
    expect(span).toBeLessThan(10 * WINDOW_MS);
  });

  it('gives 20 concurrent callers distinct schedules within the limit', async () => {
    const bucket = `kommo:${randomUUID()}`;
    const slots = await Promise.all(Array.from({ length: 20 }, () => schedule(bucket, 7)));
    const waits = slots.map((s) => s.waitMs).sort((a, b) => a - b);
    const round = (n: number) => waits.filter((w) => w > n * WINDOW_MS - 400 && w <= n * WINDOW_MS + 1).length;
    expect(waits.filter((w) => w === 0)).toHaveLength(7);
    if (testDatabaseKind() === 'pglite') {
      // One connection: the calls are serialised, so the rounds are exact.
      expect([round(1), round(2)]).toEqual([7, 6]);
    } else {
      // SKIP LOCKED may push a caller whose oldest slots are momentarily locked one round later.
      expect(round(1) + round(2) + round(3)).toBe(13);
    }
    const jitter = Math.max(...slots.map((s) => s.spread)) + 2;
    expect(busiestWindow(slots.map((s) => s.at), WINDOW_MS - jitter)).toBe(7);
  });

  it('keeps buckets and rates apart', async () => {
    const a = `kommo:${randomUUID()}`;
    const b = `kommo:${randomUUID()}`;
    for (let i = 0; i < 2; i++) expect((await schedule(a, 2)).waitMs).toBe(0);
    expect((await schedule(b, 2)).waitMs).toBe(0);
    expect((await schedule(a, 2)).waitMs).toBeGreaterThan(WINDOW_MS - 300);
  });
});
