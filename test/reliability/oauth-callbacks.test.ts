/**
 * Unauthenticated install callbacks are cheap to refuse: a code is saved (and exchanged) once,
 * a code Kommo answers with anything but tokens is tried once, callbacks are limited per referer,
 * an install started from our side must bring back our signed state, and grants that never
 * became an installation are deleted once their code is dead.
 */
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('install callbacks', () => {
  let stack: Stack;
  const fakes: FakeKommo[] = [];
  beforeAll(async () => {
    stack = await startStack({ env: { KOMMO_OAUTH_HOSTS: '*.kommo.com,127.0.0.1:*' } });
  });
  afterAll(async () => {
    await Promise.all(fakes.map((k) => k.close()));
    await stack?.close();
  });

  let nextAccount = 41_000_001;
  async function account(): Promise<FakeKommo> {
    const kommo = await startFakeKommo({ accountId: nextAccount++, subdomain: `acct${nextAccount}` });
    kommo.oauth.configure({ clientId: stack.client.id, clientSecret: stack.client.secret, redirectUri: `${stack.config.publicUrl}/oauth/kommo/callback` });
    fakes.push(kommo);
    return kommo;
  }
  const host = (kommo: FakeKommo) => new URL(kommo.baseUrl).host;
  const callback = (query: Record<string, string>) => fetch(`${stack.server.url}/oauth/kommo/callback?${new URLSearchParams(query)}`);
  const grants = (kommo: FakeKommo) => stack.db.db('oauth_grants').where({ referer: host(kommo) });

  it('saves and exchanges a code once, however often it arrives', async () => {
    const kommo = await account();
    const code = kommo.oauth.issueCode();
    const answers = await Promise.all([1, 2, 3].map(() => callback({ code, referer: host(kommo), from_widget: '1' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await waitFor('the installation', () => stack.db.db('installations').where({ kommo_account_id: kommo.account.accountId, status: 'active' }).first());
    await stack.idle();
    expect(await grants(kommo)).toHaveLength(1);
    expect(kommo.oauth.tokenCalls).toBe(1);
  });

  it('tries a code once when Kommo answers with something that is not a token', async () => {
    const kommo = await account();
    kommo.inject({ method: 'POST', path: /^\/oauth2\/access_token$/, status: 200, body: '<!doctype html><title>Kommo</title>', contentType: 'text/html', times: Infinity });
    expect((await callback({ code: 'def_junk', referer: host(kommo), from_widget: '1' })).status).toBe(200);
    await waitFor('the failed grant', async () => (await grants(kommo))[0]?.status === 'failed');
    await stack.idle();
    expect(kommo.requests.filter((r) => r.path === '/oauth2/access_token')).toHaveLength(1);
  });

  it('limits callbacks per referer', async () => {
    const kommo = await account();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await callback({ code: `def_flood_${i}`, referer: host(kommo), from_widget: '1' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(await grants(kommo)).toHaveLength(5);
    await stack.idle();
  });

  it('needs our signed state for an install started from our side', async () => {
    const kommo = await account();
    const start = await fetch(`${stack.server.url}/oauth/kommo/start`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const consent = new URL(start.headers.get('location') ?? '');
    expect(consent.origin + consent.pathname).toBe('https://www.kommo.com/oauth');
    expect(consent.searchParams.get('client_id')).toBe(stack.client.id);
    const state = consent.searchParams.get('state') ?? '';
    const [version, expires, nonce] = state.split('.');
    const forged = `${version}.${Number(expires) + 86_400}.${nonce}.${'0'.repeat(64)}`;
    const code = kommo.oauth.issueCode();
    for (const bad of [{}, { state: 'anything' }, { state: forged }] as Record<string, string>[]) {
      const answer = await callback({ code, referer: host(kommo), ...bad });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error: { field: 'state' } });
    }
    expect(await grants(kommo)).toHaveLength(0);
    expect((await callback({ code, referer: host(kommo), state })).status).toBe(200);
    await waitFor('the installation', () => stack.db.db('installations').where({ kommo_account_id: kommo.account.accountId, status: 'active' }).first());
  });

  it('deletes grants that never installed once their code is dead, and keeps the ones that did', async () => {
    await stack.idle();
    const before = await stack.db.db('oauth_grants').select('id', 'status');
    expect(before.some((g: { status: string }) => g.status !== 'done')).toBe(true);
    await stack.db.db('oauth_grants').update({ received_at: new Date(Date.now() - 25 * 60_000) });
    const kommo = await account();
    expect((await callback({ code: kommo.oauth.issueCode(), referer: host(kommo), from_widget: '1' })).status).toBe(200);
    const after = await stack.db.db('oauth_grants').select('id', 'status', 'referer');
    const doneBefore = before.filter((g: { status: string }) => g.status === 'done').map((g: { id: string }) => g.id).sort();
    const kept = after.filter((g: { referer: string }) => g.referer !== host(kommo)).map((g: { id: string }) => g.id).sort();
    expect(kept).toEqual(doneBefore);
    await stack.idle();
  });
});
