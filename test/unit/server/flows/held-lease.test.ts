import { holdLease } from '../../../../server/flows/held-lease';

/** A lease table of one row, as the links repository keeps it: owner and expiry. */
function leaseRow(now: () => number) {
  const row = { owner: null as string | null, until: 0 };
  return {
    row,
    async acquireLease(_id: string, owner: string, seconds: number) {
      if (row.owner !== null && row.owner !== owner && row.until > now()) return false;
      row.owner = owner;
      row.until = now() + seconds * 1000;
      return true;
    },
    async releaseLease(_id: string, owner: string) {
      if (row.owner === owner) row.owner = null;
    },
  };
}

describe('holdLease', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('renews the lease while the run lasts, so another run cannot take it', async () => {
    const store = leaseRow(() => Date.now());
    await store.acquireLease('l', 'run-1', 3);
    const lease = holdLease(store, 'l', 'run-1', 3);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await store.acquireLease('l', 'run-2', 3)).toBe(false);
    await expect(lease.assertHeld()).resolves.toBeUndefined();
    await lease.release();
    expect(store.row.owner).toBeNull();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(store.row.owner).toBeNull();
  });

  it('refuses the next step once another run holds the lease', async () => {
    const store = leaseRow(() => Date.now());
    const lease = holdLease(store, 'l', 'run-1', 3);
    store.row.owner = 'run-2';
    store.row.until = Date.now() + 60_000;
    await expect(lease.assertHeld()).rejects.toMatchObject({ code: 'conflict', retryable: true });
    await lease.release();
    expect(store.row.owner).toBe('run-2');
  });
});
