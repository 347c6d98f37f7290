import { randomUUID } from 'node:crypto';
import { createCacheStore } from '../../../../server/db/cache-store';
import { migrateToLatest } from '../../../../server/db/migrate';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-db';

let database: TestDatabase;
let installationId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
});
afterAll(() => database.drop());
beforeEach(async () => {
  installationId = randomUUID();
  await database.db('installations').insert({
    id: installationId,
    mode: 'single',
    kommo_base_url: 'https://acme.kommo.com',
    kommo_webhook_secret_hash: randomUUID().replace(/-/g, ''),
  });
});

/** A loader that counts its calls and returns `value-<n>`. */
function counter() {
  let calls = 0;
  const load = async () => {
    calls += 1;
    return { value: `value-${calls}`, list: [1, 2] };
  };
  return { load, calls: () => calls };
}

describe('createCacheStore', () => {
  it('answers a warm read from memory without calling the loader or the database', async () => {
    const store = createCacheStore(database.db);
    const loader = counter();
    expect(await store.getOrLoad(installationId, 'users', 60_000, loader.load)).toEqual({ value: 'value-1', list: [1, 2] });
    await database.db('cache_entries').where({ installation_id: installationId }).delete();
    expect(await store.getOrLoad(installationId, 'users', 60_000, loader.load)).toEqual({ value: 'value-1', list: [1, 2] });
    expect(loader.calls()).toBe(1);
  });

  it('reloads after the entry expires', async () => {
    let now = 1_000_000;
    const store = createCacheStore(database.db, () => now);
    const loader = counter();
    await store.getOrLoad(installationId, 'fields', 1000, loader.load);
    now += 999;
    expect((await store.getOrLoad(installationId, 'fields', 1000, loader.load)).value).toBe('value-1');
    now += 2;
    expect((await store.getOrLoad(installationId, 'fields', 1000, loader.load)).value).toBe('value-2');
    expect(loader.calls()).toBe(2);
  });

  it('collapses concurrent loads of one key into one', async () => {
    const store = createCacheStore(database.db);
    let calls = 0;
    let release: (v: string) => void = () => undefined;
    const load = () => {
      calls += 1;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const pending = Array.from({ length: 5 }, () => store.getOrLoad(installationId, 'states', 60_000, load));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release('loaded');
    expect(await Promise.all(pending)).toEqual(['loaded', 'loaded', 'loaded', 'loaded', 'loaded']);
    expect(calls).toBe(1);
  });

  it('keeps keys and installations apart', async () => {
    const store = createCacheStore(database.db);
    const loader = counter();
    await store.getOrLoad(installationId, 'a', 60_000, loader.load);
    await store.getOrLoad(installationId, 'b', 60_000, loader.load);
    expect(loader.calls()).toBe(2);
  });

  it('shares entries between two stores through the database', async () => {
    const first = createCacheStore(database.db);
    const second = createCacheStore(database.db);
    const loader = counter();
    await first.getOrLoad(installationId, 'users', 60_000, loader.load);
    expect(await second.getOrLoad(installationId, 'users', 60_000, loader.load)).toEqual({ value: 'value-1', list: [1, 2] });
    expect(loader.calls()).toBe(1);
  });

  it('does not share an entry that expired in the database', async () => {
    let now = Date.now();
    const first = createCacheStore(database.db, () => now);
    const loader = counter();
    await first.getOrLoad(installationId, 'users', 1000, loader.load);
    now += 5000;
    const second = createCacheStore(database.db, () => now);
    expect((await second.getOrLoad(installationId, 'users', 1000, loader.load)).value).toBe('value-2');
  });

  it('renew loads a missing entry, and leaves one alone that stays valid past the margin', async () => {
    let now = Date.now();
    const store = createCacheStore(database.db, () => now);
    const loader = counter();
    await store.renew(installationId, 'users', 10_000, 5000, loader.load);
    expect(loader.calls()).toBe(1);
    now += 4000;
    await store.renew(installationId, 'users', 10_000, 5000, loader.load);
    expect(loader.calls()).toBe(1);
    expect((await store.getOrLoad(installationId, 'users', 10_000, loader.load)).value).toBe('value-1');
  });

  it('renew reloads an entry that expires within the margin, before any reader has to', async () => {
    let now = Date.now();
    const store = createCacheStore(database.db, () => now);
    const loader = counter();
    await store.getOrLoad(installationId, 'users', 10_000, loader.load);
    now += 6000;
    await store.renew(installationId, 'users', 10_000, 5000, loader.load);
    expect(loader.calls()).toBe(2);
    now += 6000; // past the first load's expiry, inside the renewed one
    expect((await store.getOrLoad(installationId, 'users', 10_000, loader.load)).value).toBe('value-2');
    expect(loader.calls()).toBe(2);
  });

  it('renew takes what another process has just renewed instead of loading again', async () => {
    let now = Date.now();
    const first = createCacheStore(database.db, () => now);
    const second = createCacheStore(database.db, () => now);
    const loader = counter();
    await second.getOrLoad(installationId, 'users', 10_000, loader.load);
    now += 6000;
    await first.renew(installationId, 'users', 10_000, 5000, loader.load);
    await second.renew(installationId, 'users', 10_000, 5000, loader.load);
    expect(loader.calls()).toBe(2);
    expect((await second.getOrLoad(installationId, 'users', 10_000, loader.load)).value).toBe('value-2');
  });

  it('invalidate drops the entry from memory and the database', async () => {
    const first = createCacheStore(database.db);
    const loader = counter();
    await first.getOrLoad(installationId, 'users', 60_000, loader.load);
    await first.invalidate(installationId, 'users');
    expect(Number((await database.db('cache_entries').where({ installation_id: installationId }).count('* as count'))[0]?.count)).toBe(0);
    expect((await first.getOrLoad(installationId, 'users', 60_000, loader.load)).value).toBe('value-2');
  });

  it('does not cache a failed load', async () => {
    const store = createCacheStore(database.db);
    await expect(store.getOrLoad(installationId, 'users', 60_000, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await store.getOrLoad(installationId, 'users', 60_000, async () => 'ok')).toBe('ok');
  });
});
