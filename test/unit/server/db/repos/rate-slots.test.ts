import { randomUUID } from 'node:crypto';
import { migrateToLatest } from '../../../../../server/db/migrate';
import { SEND_WITHIN_MS, WINDOW_MS, acquireRateSlot, takeRateSlot } from '../../../../../server/db/repos/rate-slots';
import { busiestWindow } from '../../../../helpers/busiest-window';
import { createTestDatabase, type TestDatabase } from '../../../../helpers/test-db';
import { waitFor } from '../../../../helpers/wait-for';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
});
afterAll(() => database.drop());

const HOLD_MS = 5000;

/** How many of the bucket's slots are stamped as used. */
async function usedSlots(bucket: string): Promise<number> {
  const rows = (await database.db('rate_slots').where({ bucket }).where('used_at', '>', new Date(1000))) as unknown[];
  return rows.length;
}

/** When, relative to the database's clock, each used slot of the bucket is stamped (ms, sorted). */
async function stampsFromNowMs(bucket: string): Promise<number[]> {
  const result = (await database.db.raw(
    `select extract(epoch from (used_at - clock_timestamp())) * 1000 as ahead from rate_slots where bucket = ? and used_at > 'epoch'::timestamptz + interval '1 second' order by used_at`,
    [bucket],
  )) as { rows: Array<{ ahead: string | number }> };
  return result.rows.map((r) => Number(r.ahead));
}

describe('the rate limiter', () => {
  it('grants N calls at once, then refuses for a window at least', async () => {
    const bucket = `kommo:${randomUUID()}`;
    for (let i = 0; i < 7; i++) expect((await takeRateSlot(database.db, bucket, 7, HOLD_MS)).granted).toBe(true);
    const refused = await takeRateSlot(database.db, bucket, 7, HOLD_MS);
    expect(refused).toEqual({ granted: false, retryInMs: WINDOW_MS });
  });

  it('holds a slot until it is given back, then frees it a window after that', async () => {
    const bucket = `kommo:${randomUUID()}`;
    const release = await acquireRateSlot(database.db, bucket, 1, 2000);
    const [held] = await stampsFromNowMs(bucket);
    // Held for the longest the request could take: sending, its timeout and a window.
    expect(held).toBeGreaterThan(SEND_WITHIN_MS + 2000 + WINDOW_MS - 500);
    release();
    await waitFor('the slot to be given back', async () => ((await stampsFromNowMs(bucket))[0] ?? 1) <= 0);
    const refused = await takeRateSlot(database.db, bucket, 1, HOLD_MS);
    expect(refused.granted).toBe(false);
    if (!refused.granted) expect(refused.retryInMs).toBeGreaterThan(WINDOW_MS - 300);
  });

  it('never lets two requests of a slot reach the service within a window of each other, for concurrent callers too', async () => {
    const bucket = `kommo:${randomUUID()}`;
    // Each "request" is answered 30 ms after its grant; a request is counted when it arrives.
    const arrivals: number[] = [];
    await Promise.all(
      Array.from({ length: 21 }, async () => {
        const release = await acquireRateSlot(database.db, bucket, 7, 2000);
        arrivals.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 30));
        release();
      }),
    );
    expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(7);
    const span = Math.max(...arrivals) - Math.min(...arrivals);
    expect(span).toBeGreaterThanOrEqual(2 * WINDOW_MS);
  });

  it('does not free a slot for a late send: a process stalled after its grant is counted from its answer', async () => {
    const bucket = `kommo:${randomUUID()}`;
    const release = await acquireRateSlot(database.db, bucket, 1, 2000);
    // However long the request takes to leave (a starved process), the slot is not free.
    expect((await takeRateSlot(database.db, bucket, 1, HOLD_MS)).granted).toBe(false);
    release();
  });

  it('drops a grant that came back too late to be sent, and takes a fresh one', async () => {
    const bucket = `kommo:${randomUUID()}`;
    // A clock that jumps past SEND_WITHIN_MS during the first query only.
    let now = 0;
    let reads = 0;
    const clock = () => (reads++ === 1 ? (now += SEND_WITHIN_MS + 1) : now);
    await acquireRateSlot(database.db, bucket, 7, 2000, clock);
    expect(await usedSlots(bucket)).toBe(2);
  });

  it('keeps buckets apart, and a bucket keeps its slots whatever the configured rate', async () => {
    const a = `kommo:${randomUUID()}`;
    const b = `kommo:${randomUUID()}`;
    expect((await takeRateSlot(database.db, a, 2, HOLD_MS)).granted).toBe(true);
    expect((await takeRateSlot(database.db, a, 2, HOLD_MS)).granted).toBe(true);
    expect((await takeRateSlot(database.db, b, 2, HOLD_MS)).granted).toBe(true);
    expect((await takeRateSlot(database.db, a, 2, HOLD_MS)).granted).toBe(false);
    // A process configured for 3/s shares the two used slots and adds one.
    expect((await takeRateSlot(database.db, a, 3, HOLD_MS)).granted).toBe(true);
    expect((await takeRateSlot(database.db, a, 3, HOLD_MS)).granted).toBe(false);
  });
});
