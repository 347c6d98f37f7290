import { randomUUID } from 'node:crypto';
import { migrateToLatest } from '../../../../../server/db/migrate';
import { WINDOW_MS, takeRateSlot } from '../../../../../server/db/repos/rate-slots';
import { createTestDatabase, type TestDatabase } from '../../../../helpers/test-db';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
});
afterAll(() => database.drop());

/** Waits for a grant the way the Kommo throttle does; returns when it was granted (ms). */
async function acquire(bucket: string, perSecond: number): Promise<number> {
  for (;;) {
    const slot = await takeRateSlot(database.db, bucket, perSecond);
    if (slot.granted) return Date.now();
    expect(slot.retryInMs).toBeGreaterThan(0);
    expect(slot.retryInMs).toBeLessThanOrEqual(WINDOW_MS);
    await new Promise((resolve) => setTimeout(resolve, slot.retryInMs));
  }
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

  it('keeps buckets and rates apart', async () => {
    const a = `kommo:${randomUUID()}`;
    const b = `kommo:${randomUUID()}`;
    expect(await takeRateSlot(database.db, a, 2)).toEqual({ granted: true });
    expect(await takeRateSlot(database.db, a, 2)).toEqual({ granted: true });
    expect(await takeRateSlot(database.db, b, 2)).toEqual({ granted: true });
    expect((await takeRateSlot(database.db, a, 2)).granted).toBe(false);
  });
});
