import { randomBytes, randomUUID } from 'node:crypto';
import { createSecretBox } from '../../../../server/crypto/secret-box';
import { parseSettings } from '../../../../server/domain/settings';
import { createInstallationStore, type InstallationStore } from '../../../../server/db/installation-store';
import { migrateToLatest } from '../../../../server/db/migrate';
import { createInstallationsRepo, type InstallationsRepo } from '../../../../server/db/repos/installations';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-db';

let database: TestDatabase;
let repo: InstallationsRepo;
let store: InstallationStore;
let accountId = 30_000;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
  repo = createInstallationsRepo(createSecretBox(randomBytes(32).toString('base64')));
});
afterAll(() => database.drop());
beforeEach(() => {
  // A long time to live: whatever a test sees fresh, the store read from the database itself.
  store = createInstallationStore(database.db, repo, 60_000);
});

async function install(overrides: { webhookId?: string } = {}) {
  accountId += 1;
  const installation = await store.upsertOAuth({
    accountId,
    subdomain: `acme${accountId}`,
    baseUrl: `https://acme${accountId}.kommo.com`,
    clientId: 'client-uuid',
    clientSecret: 'client-secret',
    tokens: { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: new Date(Date.now() + 3_600_000) },
  });
  if (overrides.webhookId) await store.setLinearWebhook(installation.id, overrides.webhookId, 'linear-secret-1');
  return installation;
}

describe('the installation store', () => {
  it('hands out installations without credentials, and credentials only when asked', async () => {
    const installation = await install();
    expect(JSON.stringify(installation)).not.toMatch(/access-1|refresh-1|client-secret/);
    expect(installation).toMatchObject({ mode: 'oauth', status: 'active', kommoAccountId: accountId, kommoClientId: 'client-uuid', linearConnected: false, linearWebhookConfigured: false });
    expect(await store.credentials(installation.id)).toMatchObject({ kommoAccessToken: 'access-1', kommoRefreshToken: 'refresh-1', kommoClientSecret: 'client-secret', linearApiKey: null });
  });

  it('serves hot lookups from memory and sees its own writes at once', async () => {
    const installation = await install({ webhookId: 'hook-1' });
    expect((await store.forLinear(installation.id))?.linearWebhookConfigured).toBe(true);
    expect((await store.forAccount(accountId, undefined))?.id).toBe(installation.id);
    // A write behind the store's back (another process) is not seen until the cache expires…
    await repo.setLinearWebhook(database.db, installation.id, 'hook-2', 'linear-secret-2');
    expect((await store.forLinear(installation.id))?.linearWebhookId).toBe('hook-1');
    expect((await store.credentials(installation.id))?.linearWebhookSecret).toBe('linear-secret-1');
    // …unless asked fresh; a write through the store is seen at once by every lookup.
    expect((await store.forLinear(installation.id, { fresh: true }))?.linearWebhookId).toBe('hook-2');
    await store.setLinearApiKey(installation.id, 'lin_api_new', 'viewer-1');
    expect((await store.forAccount(accountId, undefined))?.linearConnected).toBe(true);
    expect((await store.credentials(installation.id))?.linearApiKey).toBe('lin_api_new');
  });

  it('remembers an unknown webhook secret, finds a single account by its issuer, and re-reads it until its account is learned', async () => {
    expect(await store.bySecret('single-secret')).toBeUndefined();
    // Created behind the store's back: the unknown secret stays unknown for the time to live…
    const single = await repo.upsertSingle(database.db, {
      kommoBaseUrl: 'https://single.kommo.com',
      kommoAccountId: undefined,
      kommoAccessToken: 'long-lived',
      kommoWebhookSecret: 'single-secret',
      kommoClientId: undefined,
      kommoClientSecret: undefined,
      linearApiKey: 'lin_api_single',
      linearWebhookSecret: undefined,
      settings: parseSettings({ team: 'ENG' }),
    });
    expect(await store.bySecret('single-secret')).toBeUndefined();
    // …until a write through the store clears the cache.
    await store.setLinearViewer(single.id, 'viewer-single');
    expect((await store.bySecret('single-secret'))?.kommoAccountId).toBeNull();
    // The widget finds it by the token's issuer while its account id is unknown.
    expect(await store.knowsOrigin('https://single.kommo.com')).toBe(true);
    expect(await store.knowsOrigin('https://evil.example')).toBe(false);
    expect((await store.forAccount(424_242, 'https://single.kommo.com'))?.id).toBe(single.id);
    expect(await store.forAccount(424_242, 'https://evil.example')).toBeUndefined();
    // Not kept while the account is unknown, so the account check starts as soon as it is learned.
    await repo.setAccount(database.db, single.id, 777, 'single');
    expect((await store.bySecret('single-secret'))?.kommoAccountId).toBe(777);
  });

  it('saves settings with their history in one transaction, and disables an account on revoke', async () => {
    const installation = await install();
    await store.saveSettings(installation.id, { ...installation.settings, team: 'OPS' }, { userId: 5, summary: 'Changed team', before: installation.settings });
    expect((await store.load(installation.id))?.settings.team).toBe('OPS');
    const history = await database.db('settings_changes').where({ installation_id: installation.id });
    expect(history).toHaveLength(1);
    expect(await store.disableAccount(accountId)).toMatchObject({ id: installation.id });
    expect(await store.forAccount(accountId, undefined)).toBeUndefined();
    expect(await store.disableAccount(123_456_789)).toBeUndefined();
  });

  it('hands the refresh lease to one owner at a time and stores a rotated pair', async () => {
    const installation = await install();
    expect(await store.takeRefreshLease(installation.id, 'a', 30)).toBe(true);
    expect(await store.takeRefreshLease(installation.id, 'b', 30)).toBe(false);
    await store.setTokens(installation.id, { accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: new Date(Date.now() + 3_600_000) });
    expect(await store.takeRefreshLease(installation.id, 'b', 30)).toBe(true);
    await store.releaseRefreshLease(installation.id, 'b');
    expect(await store.credentials(installation.id, { fresh: true })).toMatchObject({ kommoAccessToken: 'access-2', kommoRefreshToken: 'refresh-2' });
  });

  it('answers wrong webhook secrets, ids and accounts without a query, and never drops a real installation for them', async () => {
    const real = await repo.upsertSingle(database.db, {
      kommoBaseUrl: 'https://flooded.kommo.com',
      kommoAccountId: 515_151,
      kommoAccessToken: 'long-lived',
      kommoWebhookSecret: 'flooded-real-secret',
      kommoClientId: undefined,
      kommoClientSecret: undefined,
      linearApiKey: 'lin_api_flooded',
      linearWebhookSecret: 'linear-flooded',
      settings: parseSettings({ team: 'ENG' }),
    });
    expect((await store.bySecret('flooded-real-secret'))?.id).toBe(real.id);
    expect((await store.forLinear(real.id))?.id).toBe(real.id);
    const queries: string[] = [];
    const onQuery = (q: { sql: string }) => queries.push(q.sql);
    database.db.on('query', onQuery);
    try {
      // More guesses than the cache holds: the old cache was cleared wholesale at 10,000.
      for (let i = 0; i < 12_000; i++) {
        expect(await store.bySecret(randomBytes(18).toString('base64url'))).toBeUndefined();
      }
      for (let i = 0; i < 200; i++) {
        expect(await store.forLinear(randomUUID())).toBeUndefined();
        expect(await store.forAccount(900_000_000 + i, undefined)).toBeUndefined();
      }
      expect((await store.bySecret('flooded-real-secret'))?.id).toBe(real.id);
      expect((await store.forLinear(real.id))?.id).toBe(real.id);
      expect(queries).toEqual([]);
    } finally {
      database.db.removeListener('query', onQuery);
    }
  });
});
