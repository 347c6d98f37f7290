/**
 * Kommo's revoke hook always carries the same signature, so a captured revoke URL can be replayed:
 * it may only ever disable. After a revoke, nothing but a fresh grant enables the account again:
 * not a replayed install job of an older grant, not a restart of a single-account server; the
 * widget is told when and how the installation was disabled.
 */
import { createHmac } from 'node:crypto';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

const ACCOUNT = 51_000_001;

describe('revoke replays', () => {
  let stack: Stack;
  let kommo: FakeKommo;
  beforeAll(async () => {
    stack = await startStack({ env: { KOMMO_OAUTH_HOSTS: '*.kommo.com,127.0.0.1:*' } });
    kommo = await startFakeKommo({ accountId: ACCOUNT, subdomain: 'gamma' });
    kommo.oauth.configure({ clientId: stack.client.id, clientSecret: stack.client.secret, redirectUri: `${stack.config.publicUrl}/oauth/kommo/callback` });
  });
  afterAll(async () => {
    await kommo?.close();
    await stack?.close();
  });

  const revokeUrl = (accountId: number) => {
    const signature = createHmac('sha256', stack.client.secret).update(`${stack.client.id}|${accountId}`).digest('hex');
    return `${stack.server.url}/oauth/kommo/revoke?${new URLSearchParams({ account_id: String(accountId), client_uuid: stack.client.id, signature })}`;
  };
  const row = (accountId: number) => stack.db.db('installations').where({ kommo_account_id: accountId }).first();
  const install = async () => {
    const answer = await fetch(`${stack.server.url}/oauth/kommo/callback?${new URLSearchParams({ code: kommo.oauth.issueCode(), referer: new URL(kommo.baseUrl).host, from_widget: '1' })}`);
    expect(answer.status).toBe(200);
  };
  const widget = (path: string, accountId: number, iss: string) =>
    fetch(`${stack.server.url}/api/widget${path}`, { headers: { 'x-auth-token': stack.widgetToken({ account_id: accountId, iss, is_admin: true }), origin: iss } });

  it('keeps a revoked account disabled when an older grant is replayed, and says when and how in the widget', async () => {
    await install();
    await waitFor('the installation', async () => (await row(ACCOUNT))?.status === 'active');
    await stack.idle();
    expect((await fetch(revokeUrl(ACCOUNT))).status).toBe(200);
    const disabled = await row(ACCOUNT);
    expect(disabled.status).toBe('disabled');
    expect(disabled.disabled_by).toBe('kommo_revoke');

    // The install job of the grant from before the revoke runs again (its exchanged tokens are kept).
    const [grant] = await stack.db.db('oauth_grants').where({ installation_id: disabled.id });
    await stack.db.db('oauth_grants').where({ id: grant.id }).update({ status: 'pending' });
    await stack.server.queue.send('kommo-install', { grantId: grant.id }, { key: `replay:${grant.id}` });
    await waitFor('the replayed grant to fail', async () => (await stack.db.db('oauth_grants').where({ id: grant.id }).first()).status === 'failed');
    await stack.idle();
    expect((await row(ACCOUNT)).status).toBe('disabled');

    // The widget can read (CORS) that the installation is disabled, when, and by what.
    const preflight = await fetch(`${stack.server.url}/api/widget/settings`, {
      method: 'OPTIONS',
      headers: { origin: kommo.baseUrl, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-auth-token' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(kommo.baseUrl);
    for (const path of ['/settings', '/leads/1']) {
      const answer = await widget(path, ACCOUNT, kommo.baseUrl);
      expect(answer.status).toBe(409);
      expect(answer.headers.get('access-control-allow-origin')).toBe(kommo.baseUrl);
      expect(((await answer.json()) as { error: unknown }).error).toMatchObject({
        code: 'installation_disabled',
        disabledBy: 'kommo_revoke',
        disabledAt: new Date(disabled.disabled_at).toISOString(),
      });
    }

    // The captured revoke URL again: still disabled, nothing else.
    expect((await fetch(revokeUrl(ACCOUNT))).status).toBe(200);
    expect((await row(ACCOUNT)).status).toBe('disabled');

    // A fresh grant enables it.
    await install();
    await waitFor('the reinstall', async () => (await row(ACCOUNT))?.status === 'active');
    expect((await row(ACCOUNT)).disabled_at).toBeNull();
    expect((await widget('/leads/1', ACCOUNT, kommo.baseUrl)).status).toBe(200);
  });

  it('keeps a revoked single-account installation disabled across a restart with the same token', async () => {
    const single = await waitFor('the single account id', async () => {
      const found = await stack.db.db('installations').where({ mode: 'single' }).first();
      return found?.kommo_account_id ? found : undefined;
    });
    expect((await fetch(revokeUrl(Number(single.kommo_account_id)))).status).toBe(200);
    await stack.restart();
    expect((await stack.db.db('installations').where({ id: single.id }).first()).status).toBe('disabled');
    expect((await stack.sendWon(stack.kommo.addLead({ name: 'After revoke', price: 1, statusId: stack.kommo.defaults.wonStatusId }).id)).status).toBe(200);
    await stack.idle();
    expect(stack.linear.store.issues().some((i) => i.title === 'After revoke')).toBe(false);
  });
});
