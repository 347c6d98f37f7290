import { randomUUID } from 'node:crypto';
import { migrateToLatest } from '../../../../../server/db/migrate';
import { STALE_GRANT_MS, WINDOW_MS, takeRateSlot, waitForRateSlot } from '../../../../../server/db/repos/rate-slots';
import { createTestDatabase, type TestDatabase } from '../../../../helpers/test-db';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
});
afterAll(() => database.drop());

/** Waits for a grant as the Kommo throttle does; returns when it was granted (ms). */
async function acquire(bucket: string, perSecond: number): Promise<number> {
  await waitForRateSlot(database.db, bucket, perSecond);
  return Date.now();
}

/** How many of the bucket's slots are stamped as used. */
async function usedSlots(bucket: string, perSecond: number): Promise<number> {
  const rows = (await database.db('rate_slots').where({ bucket: `${bucket}#${perSecond}` }).where('used_at', '>', new Date(1000))) as unknown[];
  return rows.length;
}

/** The largest number of grants inside any window of `windowMs`. */
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
  it('grants N calls at once, then refuses with the time until the oldest slot frees', async () => {
    const bucket = `kommo:${randomUUID()}`;
    for (let i = 0; i < 7; i++) expect(await takeRateSlot(database.db, bucket, 7)).toEqual({ granted: true });
    const refused = await takeRateSlot(database.db, bucket, 7);
    expect(refused.granted).toBe(false);
    if (!refused.granted) expect(refused.retryInMs).toBeGreaterThan(WINDOW_MS - 300);
  });

  it('never grants more than N calls within any window, for concurrent callers too', async () => {
    const bucket = `kommo:${randomUUID()}`;
    const grants = await Promise.all(Array.from({ length: 21 }, () => acquire(bucket, 7)));
    // Grants are stamped with the database clock; local timestamps lag them by a few ms at most.
    expect(busiestWindow(grants, WINDOW_MS - 50)).toBeLessThanOrEqual(7);
    const span = Math.max(...grants) - Math.min(...grants);
    expect(span).toBeGreaterThanOrEqual(2 * WINDOW_MS - 50);
    expect(span).toBeLessThan(4 * WINDOW_MS);
  });

  it('lets a grant go when its answer came back late, and takes a fresh one', async () => {
    const bucket = `kommo:${randomUUID()}`;
    // A clock that jumps past STALE_GRANT_MS during the first query only.
    let now = 0;
    let reads = 0;
    const clock = () => (reads++ === 1 ? (now += STALE_GRANT_MS + 1) : now);
    await waitForRateSlot(database.db, bucket, 7, clock);
    expect(await usedSlots(bucket, 7)).toBe(2);
  });

  it('uses a late grant after a few, so a slow database cannot stall every call', async () => {
    const bucket = `kommo:${randomUUID()}`;
    let now = 0;
    const alwaysLate = () => (now += STALE_GRANT_MS + 1);
    await waitForRateSlot(database.db, bucket, 7, alwaysLate);
    expect(await usedSlots(bucket, 7)).toBe(3);
  });

  it('keeps buckets and rates apart', async () => {
    const a = `kommo:${randomUUID()}`;
    const b = `kommo:${randomUUID()}`;
    expect(await takeRateSlot(database.db, a, 2)).toEqual({ granted: true });
    expect(await takeRateSlot(database.db, a, 2)).toEqual({ granted: true });
    expect(await takeRateSlot(database.db, b, 2)).toEqual({ granted: true });
    expect((await takeRateSlot(database.db, a, 2)).granted).toBe(false);
  });
});
