/**
 * The fake Linear's OAuth app: consent page → code → tokens, bearer tokens per workspace, rotation,
 * expiry, invalid_grant, revoke, app webhooks for authorizing workspaces and the revoked event.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { startFakeLinear, type FakeLinear } from './linear';

const APP = { clientId: 'client-1', clientSecret: 'client-secret-1', redirectUris: ['http://127.0.0.1:9/callback'], webhookSecret: 'app-webhook-secret' };
const VIEWER_ORG = 'query { viewer { id name } organization { id name } }';

describe('fake Linear OAuth', () => {
  let fake: FakeLinear;
  let receiver: Server;
  const received: Array<{ event: string; body: string; signature: string }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ event: String(req.headers['linear-event']), body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['linear-signature']) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    fake = await startFakeLinear({ oauthApp: { ...APP, webhookUrl: `http://127.0.0.1:${port}/hook` } });
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((r) => receiver.close(r));
  });

  const authorizeQuery = (over: Record<string, string> = {}) =>
    new URLSearchParams({ client_id: APP.clientId, redirect_uri: APP.redirectUris[0] ?? '', response_type: 'code', scope: 'read,write,issues:create', state: 's-1', actor: 'app', ...over });

  async function approve(organizationId: string): Promise<URL> {
    const form = new URLSearchParams({ ...Object.fromEntries(authorizeQuery()), organization: organizationId, decision: 'approve' });
    const answer = await fetch(`${fake.origin}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    expect(answer.status).toBe(302);
    return new URL(answer.headers.get('location') ?? '');
  }
  const tokenCall = (fields: Record<string, string>) =>
    fetch(`${fake.origin}/oauth/token`, { method: 'POST', body: new URLSearchParams({ client_id: APP.clientId, client_secret: APP.clientSecret, ...fields }) });
  const graphql = (token: string) =>
    fetch(fake.url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: VIEWER_ORG }) });

  it('shows a consent page with an Approve button, and refuses an unregistered redirect_uri', async () => {
    const page = await fetch(`${fake.origin}/oauth/authorize?${authorizeQuery()}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<button[^>]*value="approve"[^>]*>Approve</);
    const bad = await fetch(`${fake.origin}/oauth/authorize?${authorizeQuery({ redirect_uri: 'https://evil.example/cb' })}`);
    expect(bad.status).toBe(400);
  });

  it('exchanges a code once, serves the workspace to its bearer token, rotates refresh tokens and expires access tokens', async () => {
    const second = fake.addWorkspace({ name: 'Second', urlKey: 'second' });
    const location = await approve(second.organization.id);
    expect(location.searchParams.get('state')).toBe('s-1');
    const code = location.searchParams.get('code') ?? '';
    const wrong = await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/other' });
    expect(wrong.status).toBe(400);
    const first = await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: APP.redirectUris[0] ?? '' });
    // The wrong redirect_uri did not use the code up; a second exchange of it is refused.
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as { access_token: string; refresh_token: string; expires_in: number; token_type: string; scope: string };
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 86_399, scope: 'read write issues:create' });
    const again = await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: APP.redirectUris[0] ?? '' });
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });

    const viewer = (await (await graphql(tokens.access_token)).json()) as { data: { organization: { id: string } } };
    expect(viewer.data.organization.id).toBe(second.organization.id);
    expect(fake.requests.at(-1)).toMatchObject({ auth: 'oauth', organizationId: second.organization.id });

    const refreshed = (await (await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).json()) as typeof tokens;
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    fake.oauth.expireAccessTokens();
    expect((await graphql(refreshed.access_token)).status).toBe(401);
    fake.oauth.refuseRefreshTokens();
    const refused = await tokenCall({ grant_type: 'refresh_token', refresh_token: refreshed.refresh_token });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    const badClient = await fetch(`${fake.origin}/oauth/token`, { method: 'POST', body: new URLSearchParams({ client_id: APP.clientId, client_secret: 'nope', grant_type: 'refresh_token', refresh_token: 'x' }) });
    expect(badClient.status).toBe(401);
  });

  it('delivers app webhooks for an authorizing workspace, signed with the app secret, and the revoked event after a revoke', async () => {
    const location = await approve(fake.store.organization.id);
    const answer = await tokenCall({ grant_type: 'authorization_code', code: location.searchParams.get('code') ?? '', redirect_uri: APP.redirectUris[0] ?? '' });
    const { access_token } = (await answer.json()) as { access_token: string };
    received.length = 0;
    const team = fake.store.findTeam('ENG');
    fake.store.createIssue({ teamId: team?.id ?? '', title: 'From the app webhook' });
    await fake.webhooksIdle();
    const issueEvent = received.find((r) => r.event === 'Issue');
    expect(JSON.parse(issueEvent?.body ?? '{}')).toMatchObject({ type: 'Issue', organizationId: fake.store.organization.id });
    const verifier = new LinearWebhookClient(APP.webhookSecret);
    const revoke = await fetch(`${fake.origin}/oauth/revoke`, { method: 'POST', body: new URLSearchParams({ token: access_token }) });
    expect(revoke.status).toBe(200);
    await fake.webhooksIdle();
    const revoked = received.find((r) => r.event === 'OAuthApp');
    expect(JSON.parse(revoked?.body ?? '{}')).toMatchObject({ type: 'OAuthApp', action: 'revoked', organizationId: fake.store.organization.id, oauthClientId: APP.clientId });
    expect(verifier.verify(Buffer.from(revoked?.body ?? ''), revoked?.signature ?? '')).toBe(true);
    expect(verifier.verify(Buffer.from(issueEvent?.body ?? ''), issueEvent?.signature ?? '')).toBe(true);
    expect((await graphql(access_token)).status).toBe(401);
  });
});
