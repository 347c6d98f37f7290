import { randomUUID } from 'node:crypto';
import { AppError } from '../../../../server/errors';
import { createLinearApi } from '../../../../server/linear/client';
import { fixedApiKey } from '../../../../server/linear/tokens';
import { DEFAULT_API_KEY, startFakeLinear, type FakeLinear } from '../../../fakes/linear';

describe('createIssueWithId against the fake Linear', () => {
  let fake: FakeLinear;
  beforeAll(async () => {
    fake = await startFakeLinear();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const teamId = () => fake.store.teams()[0]?.id ?? '';
  const input = () => ({ id: randomUUID(), teamId: teamId(), title: 'Deal', description: 'd', priority: 2 });

  it('creates the issue once: a second call with the same id returns the issue an earlier attempt made', async () => {
    const api = createLinearApi({ apiUrl: fake.url, token: fixedApiKey(DEFAULT_API_KEY), timeoutMs: 2000 });
    const first = input();
    const created = await api.createIssueWithId(first);
    const again = await api.createIssueWithId({ ...first, title: 'Retried' });
    expect(again.id).toBe(created.id);
    expect(again.snapshot).toEqual(created.snapshot);
    expect(again.snapshot).toMatchObject({ identifier: created.identifier, title: 'Deal', priority: 2 });
    expect(fake.store.issues()).toHaveLength(1);
  });

  it('passes on any other refusal unchanged', async () => {
    const api = createLinearApi({ apiUrl: fake.url, token: fixedApiKey(DEFAULT_API_KEY), timeoutMs: 2000 });
    const error = await api.createIssueWithId({ ...input(), teamId: randomUUID() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toMatch(/^linear_/);
    expect(fake.store.issues()).toHaveLength(0);
  });

  it('leaves createAsUser out for a personal key (Linear refuses it outside actor=app), where the fake refuses it', async () => {
    const api = createLinearApi({ apiUrl: fake.url, token: fixedApiKey(DEFAULT_API_KEY), timeoutMs: 2000, appIconUrl: 'https://example.test/app-icon.png' });
    const created = await api.createIssueWithId({ ...input(), createAsUser: 'Kommo' });
    expect(fake.store.issuesById.get(created.id)).toMatchObject({ createdByActor: 'apiKey', createAsUser: null, displayIconUrl: null });
    const raw = await fetch(fake.url, {
      method: 'POST',
      headers: { authorization: DEFAULT_API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($input: IssueCreateInput!) { issueCreate(input: $input) { success } }', variables: { input: { ...input(), createAsUser: 'Kommo' } } }),
    });
    expect(JSON.stringify(await raw.json())).toContain('only available to OAuth applications in actor=app mode');
  });

  it('reads the key at each call when given a source, and says when none is stored', async () => {
    let key = '';
    const api = createLinearApi({ apiUrl: fake.url, token: { current: async () => ({ kind: 'apiKey' as const, value: key }), renew: async () => undefined }, timeoutMs: 2000 });
    const missing = await api.teams().catch((e: unknown) => e);
    expect((missing as AppError).code).toBe('not_configured');
    key = DEFAULT_API_KEY;
    expect((await api.teams()).length).toBeGreaterThan(0);
  });
});
