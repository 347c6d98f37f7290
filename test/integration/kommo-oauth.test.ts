/**
 * Marketplace installation through Kommo OAuth: the install callback is answered even when the
 * token endpoint hangs, the code is exchanged by a job, 20 jobs on an expired token cause one
 * refresh, the revoke hook is checked, and a reinstall picks the installation up again.
 */
import { createHmac } from 'node:crypto';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { kommoStatusWebhook } from '../fixtures/kommo-webhook';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

const ACCOUNT = 31000001;

describe('Kommo marketplace install (OAuth)', () => {
  let stack: Stack;
  let kommo: FakeKommo;

  beforeAll(async () => {
    stack = await startStack({ env: { KOMMO_OAUTH_HOSTS: '*.kommo.com,127.0.0.1:*' } });
    kommo = await startFakeKommo({ accountId: ACCOUNT, subdomain: 'beta' });
    kommo.oauth.configure({ clientId: stack.client.id, clientSecret: stack.client.secret, redirectUri: `${stack.config.publicUrl}/oauth/kommo/callback` });
  });
  afterAll(async () => {
    await kommo.close();
    await stack.close();
  });

  const host = () => new URL(kommo.baseUrl).host;
  const installation = () => stack.db.db('installations').where({ kommo_account_id: ACCOUNT }).first();
  const callback = (query: Record<string, string>) => fetch(`${stack.server.url}/oauth/kommo/callback?${new URLSearchParams(query)}`);
  const revoke = (signature: string) =>
    fetch(`${stack.server.url}/oauth/kommo/revoke?${new URLSearchParams({ account_id: String(ACCOUNT), client_uuid: stack.client.id, signature })}`);
  const sign = (text: string) => createHmac('sha256', stack.client.secret).update(text).digest('hex');

  it('refuses a callback from a host that is not a Kommo account', async () => {
    const answer = await callback({ code: 'x', referer: 'evil.example.com', from_widget: '1' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { field: 'referer' } });
  });

  it('answers the install callback at once, even while the token endpoint hangs, then installs', async () => {
    kommo.inject({ method: 'POST', path: /^\/oauth2\/access_token$/, kind: 'timeout', times: 1 });
    const answer = await callback({ code: kommo.oauth.issueCode(), referer: host(), from_widget: '1' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('being installed');
    const row = await waitFor('the installation', installation);
    expect(row).toMatchObject({ mode: 'oauth', status: 'active', kommo_subdomain: 'beta' });
    expect(String(row.kommo_access_token_enc)).not.toContain('kommo_at');
    await waitFor('the Kommo webhook', () => kommo.webhooks().find((w) => w.destination.includes('/webhooks/kommo/')));
  });

  it('refreshes an expired token once for 20 concurrent jobs, and Won deals work end to end', async () => {
    const admin = stack.widgetToken({ account_id: ACCOUNT, iss: kommo.baseUrl, subdomain: 'beta', is_admin: true });
    const key = await fetch(`${stack.server.url}/api/widget/settings/linear-key`, {
      method: 'POST',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: 'lin_api_test_key' }),
    });
    expect(key.status).toBe(200);

    // The token expires: Kommo refuses it (every job sees a 401) and the stored expiry is past.
    await stack.db.db('installations').where({ kommo_account_id: ACCOUNT }).update({ kommo_token_expires_at: new Date(Date.now() - 60_000) });
    kommo.setAccessToken('a-token-nobody-has');
    const callsBefore = kommo.oauth.tokenCalls;
    const leads = Array.from({ length: 20 }, (_, i) => kommo.addLead({ name: `OAuth deal ${i}`, price: 1, statusId: 142 }));
    const destination = kommo.webhooks()[0]?.destination ?? '';
    const webhookPath = new URL(destination).pathname;
    await Promise.all(
      leads.map((lead) =>
        fetch(`${stack.server.url}${webhookPath}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: kommoStatusWebhook({ accountId: ACCOUNT, subdomain: 'beta', leads: [{ id: lead.id, statusId: 142, pipelineId: lead.pipelineId, oldStatusId: 1 }] }),
        }),
      ),
    );
    for (const lead of leads) await waitFor(`the note of ${lead.id}`, () => kommo.notes(lead.id)[0], 40_000);
    expect(kommo.oauth.tokenCalls - callsBefore).toBe(1);
    const row = await installation();
    expect(new Date(row.kommo_token_expires_at).getTime()).toBeGreaterThan(Date.now());
  }, 90_000);

  it('ignores a forged revoke, disables on a signed one, and a reinstall brings it back with its links', async () => {
    expect((await revoke('0'.repeat(64))).status).toBe(401);
    expect((await installation()).status).toBe('active');
    const ok = await revoke(sign(`${stack.client.id}|${ACCOUNT}`));
    expect(ok.status).toBe(200);
    expect((await installation()).status).toBe('disabled');

    const linksBefore = await stack.db.db('deal_links').where({ installation_id: (await installation()).id });
    expect(linksBefore.length).toBe(20);
    await callback({ code: kommo.oauth.issueCode(), referer: host(), from_widget: '1' });
    await waitFor('the reinstall', async () => (await installation()).status === 'active');
    const linksAfter = await stack.db.db('deal_links').where({ installation_id: (await installation()).id });
    expect(linksAfter.length).toBe(20);
  });
});
