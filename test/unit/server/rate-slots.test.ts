import { randomUUID } from 'node:crypto';
import { WINDOW_MS } from '../../../server/db/repos/rate-slots';
import { migrateToLatest } from '../../../server/db/migrate';
import { localRateSlots, rateSlotsFor } from '../../../server/rate-slots';
import { busiestWindow } from '../../helpers/busiest-window';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db';

const TIMEOUT_MS = 2000;

/** Resolves on the next turns of the event loop, so granted promises have settled. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the in-process rate limiter (PGlite)', () => {
  afterEach(() => jest.useRealTimers());

  /** A limiter on jest's fake clock, and the number of grants so far. */
  function fakeLimiter(busyUntil = 0) {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const slots = localRateSlots({ busyUntil, clock: () => Date.now() });
    const granted: Array<() => void> = [];
    const ask = (n: number, bucket = 'kommo:a', perSecond = 7) => {
      for (let i = 0; i < n; i++) void slots.acquire(bucket, perSecond, TIMEOUT_MS).then((release) => granted.push(release));
    };
    return { ask, granted };
  }

  it('grants N at once; the next waits until a window after an answer', async () => {
    const { ask, granted } = fakeLimiter();
    ask(8);
    await settle();
    expect(granted).toHaveLength(7);
    jest.advanceTimersByTime(400);
    granted[0]?.();
    jest.advanceTimersByTime(WINDOW_MS - 1);
    await settle();
    expect(granted).toHaveLength(7);
    jest.advanceTimersByTime(1);
    await settle();
    expect(granted).toHaveLength(8);
  });

  it('keeps a slot that is never given back until its request cannot be under way any more', async () => {
    const { ask, granted } = fakeLimiter();
    ask(2, 'kommo:a', 1);
    await settle();
    expect(granted).toHaveLength(1);
    // Held as the shared limiter holds it: sending, the timeout and a window, then a window more.
    jest.advanceTimersByTime(1000 + TIMEOUT_MS + 2 * WINDOW_MS - 1);
    await settle();
    expect(granted).toHaveLength(1);
    jest.advanceTimersByTime(1);
    await settle();
    expect(granted).toHaveLength(2);
    // The first grant's late answer does not free the slot the second grant holds.
    granted[0]?.();
    ask(1, 'kommo:a', 1);
    jest.advanceTimersByTime(WINDOW_MS * 2);
    await settle();
    expect(granted).toHaveLength(2);
  });

  it('grants nothing before busyUntil: a process that follows a killed one waits a window', async () => {
    const start = Date.now();
    const { ask, granted } = fakeLimiter(start + WINDOW_MS);
    ask(1);
    jest.advanceTimersByTime(WINDOW_MS - 1);
    await settle();
    expect(granted).toHaveLength(0);
    jest.advanceTimersByTime(1);
    await settle();
    expect(granted).toHaveLength(1);
  });

  it('keeps buckets apart, and a bucket keeps its slots whatever the configured rate', async () => {
    const { ask, granted } = fakeLimiter();
    ask(2, 'kommo:a', 2);
    ask(2, 'kommo:b', 2);
    await settle();
    expect(granted).toHaveLength(4);
    // A caller configured for 3/s shares the two used slots and adds one.
    ask(1, 'kommo:b', 3);
    await settle();
    expect(granted).toHaveLength(5);
    ask(1, 'kommo:b', 3);
    ask(1, 'kommo:a', 2);
    await settle();
    expect(granted).toHaveLength(5);
  });

  it('never lets two requests of a slot reach the service within a window of each other, for concurrent callers', async () => {
    const slots = localRateSlots();
    const arrivals: number[] = [];
    await Promise.all(
      Array.from({ length: 21 }, async () => {
        const release = await slots.acquire('kommo:c', 7, TIMEOUT_MS);
        arrivals.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 30));
        release();
      }),
    );
    expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(7);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(2 * WINDOW_MS);
  });
});

describe('the limiter for a database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateToLatest(database.db);
  });
  afterAll(() => database.drop());

  it('is one per database, kept in the database on PostgreSQL and in the process on PGlite', async () => {
    const slots = rateSlotsFor(database);
    expect(rateSlotsFor(database)).toBe(slots);
    const bucket = `kommo:${randomUUID()}`;
    const release = await slots.acquire(bucket, 7, TIMEOUT_MS);
    release();
    const rows = (await database.db('rate_slots').where({ bucket })) as unknown[];
    // PostgreSQL shares the slots with every process; PGlite's one process needs no statement.
    expect(rows).toHaveLength(database.kind === 'postgres' ? 7 : 0);
  });
});
