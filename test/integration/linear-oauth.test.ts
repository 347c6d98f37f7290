/**
 * "Connect Linear" (Linear OAuth) end to end against the fake Linear's OAuth app: state + consent +
 * callback, state reuse/expiry/disabled installation, one refresh for ten jobs on an expired
 * token, a refused refresh that parks deals until a reconnect, app webhooks routed by
 * organizationId, the OAuthApp revoked event, disconnect with revoke, and no secret in logs.
 */
import { createHmac } from 'node:crypto';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('Connect Linear (OAuth)', () => {
  let stack: Stack;
  const answers: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ linearOAuth: true });
  });
  afterAll(() => stack.close());

  const row = () => stack.db.db('installations').where({ id: stack.server.installation?.id ?? '' }).first();
  const api = async (method: string, path: string, body?: unknown, admin = true) => {
    const answer = await fetch(`${stack.server.url}/api/widget/linear-oauth${path}`, {
      method,
      headers: { 'x-auth-token': stack.widgetToken({ is_admin: admin }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await answer.text();
    answers.push(text);
    return { status: answer.status, text };
  };
  const start = async () => JSON.parse((await api('POST', '/start', {})).text) as { authorizeUrl: string; state: string };
  /** Clicks Approve on the fake's consent page; returns the callback query Linear would send. */
  async function consent(authorizeUrl: string): Promise<URLSearchParams> {
    const url = new URL(authorizeUrl);
    const page = await fetch(url);
    expect(await page.text()).toContain('Approve');
    const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), organization: stack.linear.store.organization.id, decision: 'approve' });
    const approved = await fetch(`${stack.linear.origin}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    return new URL(approved.headers.get('location') ?? '').searchParams;
  }
  const callback = async (query: URLSearchParams) => {
    const answer = await fetch(`${stack.server.url}/oauth/linear/callback?${query}`);
    const text = await answer.text();
    answers.push(text);
    return { status: answer.status, text };
  };
  /** What the settings page does with the code and state the callback window handed it. */
  const complete = (query: URLSearchParams, admin = true, userId?: number) =>
    fetch(`${stack.server.url}/api/widget/linear-oauth/complete`, {
      method: 'POST',
      headers: { 'x-auth-token': stack.widgetToken({ is_admin: admin, ...(userId ? { user_id: userId } : {}) }), 'content-type': 'application/json' },
      body: JSON.stringify({ code: query.get('code'), state: query.get('state') }),
    }).then(async (answer) => {
      const text = await answer.text();
      answers.push(text);
      return { status: answer.status, text };
    });
  const connect = async () => {
    const query = await consent((await start()).authorizeUrl);
    const page = await callback(query);
    return page.status === 200 ? complete(query) : page;
  };
  const wonDeals = async (n: number, name: string) => {
    const leads = Array.from({ length: n }, (_, i) => stack.kommo.addLead({ name: `${name} ${i}`, price: 1, statusId: stack.kommo.defaults.wonStatusId }));
    await Promise.all(leads.map((lead) => stack.sendWon(lead.id)));
    return leads;
  };
  const noteOf = (leadId: number) => waitFor(`the note of ${leadId}`, () => stack.kommo.notes(leadId)[0], 40_000);

  it('is admin only, and connects through state, consent and callback, which tells only the Kommo origin', async () => {
    expect((await api('POST', '/start', {}, false)).status).toBe(403);
    const { authorizeUrl, state } = await start();
    const url = new URL(authorizeUrl);
    expect(url.origin).toBe(stack.linear.origin);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: stack.linearClient.id, scope: 'read,write,issues:create,comments:create', actor: 'app', state, response_type: 'code' });
    const query = await consent(authorizeUrl);
    expect(query.get('state')).toBe(state);
    const answer = await callback(query);
    expect(answer.status).toBe(200);
    // The callback connects nothing itself: it hands code and state to the Kommo page that opened it.
    expect(answer.text).toContain(
      `postMessage(${JSON.stringify({ type: 'linear-for-kommo:linear-oauth', status: 'code', code: query.get('code'), state })}, "${new URL(stack.kommo.baseUrl).origin}")`,
    );
    expect((await row()).linear_oauth_status).toBeNull();
    // A browser without that page (a forwarded link) cannot finish: another admin's token is refused.
    const stranger = await complete(query, true, 424242);
    expect([stranger.status, stranger.text.includes('another admin')]).toEqual([400, true]);
    expect((await row()).linear_oauth_status).toBeNull();

    // The admin who started it finishes; a non-admin may not, and the same state again is refused.
    expect((await complete(query, false)).status).toBe(403);
    expect((await complete(query)).status).toBe(200);
    const saved = await row();
    expect(saved).toMatchObject({ linear_oauth_status: 'connected', linear_organization_id: stack.linear.store.organization.id });
    expect(String(saved.linear_oauth_access_enc)).not.toContain(stack.linear.oauth.issued.at(-1)?.access_token ?? '?');
    const reused = await complete(query);
    expect(reused.status).toBe(400);
    expect(reused.text).toContain('already used');
    expect((await callback(query)).text).toContain('already used');

    const [lead] = await wonDeals(1, 'OAuth deal');
    await noteOf(lead?.id ?? 0);
    expect(stack.linear.requests.filter((r) => r.rootFields.includes('issueCreate')).at(-1)).toMatchObject({ auth: 'oauth' });
  });

  it('creates issues as the app: "Kommo" for automatic ones, the Kommo user who pressed Create for manual ones, with our icon', async () => {
    const issueOf = async (leadId: number) => {
      const link = await waitFor(`the link of ${leadId}`, async () => stack.db.db('deal_links').where({ lead_id: leadId, status: 'linked' }).first());
      return stack.linear.store.issuesById.get(String(link.linear_issue_id));
    };
    const [auto] = await wonDeals(1, 'Automatic deal');
    const automatic = await issueOf(auto?.id ?? 0);
    expect(automatic).toMatchObject({ createdByActor: 'app', createAsUser: 'Kommo', displayIconUrl: `${stack.config.publicUrl}/app-icon.png` });
    const icon = await fetch(`${stack.server.url}/app-icon.png`);
    expect([icon.status, icon.headers.get('content-type'), (await icon.arrayBuffer()).byteLength > 100]).toEqual([200, 'image/png', true]);

    const seller = stack.kommo.addUser({ name: 'Olga Seller', email: 'olga@example.com' });
    const lead = stack.kommo.addLead({ name: 'Manual deal', price: 1, statusId: stack.kommo.defaults.openStatusIds[0] });
    const created = await fetch(`${stack.server.url}/api/widget/leads/${lead.id}/issues`, { method: 'POST', headers: { 'x-auth-token': stack.widgetToken({ user_id: seller.id }) } });
    expect(created.status).toBe(202);
    expect(await issueOf(lead.id)).toMatchObject({ createdByActor: 'app', createAsUser: 'Olga Seller (Kommo)' });
  });

  it('refuses an expired state, an unknown one, and one of a disabled installation, each with what to do', async () => {
    const expired = await start();
    await stack.db.db('linear_oauth_states').update({ expires_at: new Date(Date.now() - 1000) }).whereNull('used_at');
    const late = await callback(new URLSearchParams({ code: 'x', state: expired.state }));
    expect(late.status).toBe(400);
    expect(late.text).toContain('expired');
    const unknown = await callback(new URLSearchParams({ code: 'x', state: 'not-a-state-we-made' }));
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Connect Linear');

    const other = await start();
    await stack.db.db('installations').update({ status: 'disabled' });
    const wrong = await callback(new URLSearchParams({ code: 'x', state: other.state }));
    await stack.db.db('installations').update({ status: 'active' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('gone or disabled');
  });

  it('refreshes an expired access token once for ten jobs at once, storing the rotated pair', async () => {
    const before = await row();
    await stack.db.db('installations').update({ linear_oauth_expires_at: new Date(Date.now() - 60_000) });
    stack.linear.oauth.expireAccessTokens();
    const refreshes = stack.linear.oauth.tokenCalls.refresh_token;
    const leads = await wonDeals(10, 'Expired token deal');
    for (const lead of leads) await noteOf(lead.id);
    expect(stack.linear.oauth.tokenCalls.refresh_token - refreshes).toBe(1);
    const after = await row();
    expect(after.linear_oauth_refresh_enc).not.toBe(before.linear_oauth_refresh_enc);
    expect(new Date(after.linear_oauth_expires_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('marks a refused refresh "reconnect needed"; the deals wait and are created after reconnecting', async () => {
    await stack.db.db('installations').update({ linear_oauth_expires_at: new Date(Date.now() - 60_000) });
    stack.linear.oauth.refuseRefreshTokens();
    const leads = await wonDeals(3, 'Waiting deal');
    await waitFor('reconnect needed', async () => ((await row()).linear_oauth_status === 'reconnect_needed' ? true : undefined));
    await stack.idle();
    const links = await stack.db.db('deal_links').whereIn('lead_id', leads.map((l) => l.id));
    expect(links.map((l: { status: string; error_code: string }) => [l.status, l.error_code])).toEqual(leads.map(() => ['retrying', 'linear_reconnect_needed']));
    expect(leads.map((l) => stack.kommo.notes(l.id).length)).toEqual([0, 0, 0]);

    expect((await connect()).status).toBe(200);
    for (const lead of leads) await noteOf(lead.id);
    // The link is marked linked after its note: wait for that last step, not only the note.
    await waitFor('the three links linked', async () => {
      const done = await stack.db.db('deal_links').whereIn('lead_id', leads.map((l) => l.id));
      return done.length === 3 && done.every((l: { status: string }) => l.status === 'linked') ? true : undefined;
    });
  });

  it('routes app webhooks by organizationId and ignores another workspace', async () => {
    const link = await stack.db.db('deal_links').where({ status: 'linked' }).first();
    const post = (payload: Record<string, unknown>) => {
      const raw = JSON.stringify(payload);
      return fetch(`${stack.server.url}/webhooks/linear-app`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'linear-signature': createHmac('sha256', stack.linearWebhookSecret).update(raw).digest('hex') },
        body: raw,
      }).then((r) => r.json() as Promise<{ queued: number }>);
    };
    const signed = stack.linear.buildIssueWebhook(link.linear_issue_id, 'update', {}, { secret: stack.linearWebhookSecret });
    const payload = JSON.parse(signed.rawBody) as Record<string, unknown>;
    expect(await post({ ...payload, webhookTimestamp: Date.now() })).toMatchObject({ queued: 1 });
    expect(await post({ ...payload, organizationId: '00000000-0000-4000-8000-000000000000', webhookTimestamp: Date.now() + 1 })).toMatchObject({ queued: 0 });
  });

  it('shows the settings page the OAuth connection and the setup checklist stamps (last webhooks, last preview)', async () => {
    const view = async () => {
      const answer = await fetch(`${stack.server.url}/api/widget/settings`, { headers: { 'x-auth-token': stack.widgetToken({ is_admin: true }) } });
      return (await answer.json()) as { linear: { method: string; oauth: unknown }; webhooks: { linear: string }; setup: Record<string, string | null> };
    };
    const before = await view();
    expect(before.linear).toMatchObject({ method: 'oauth', oauth: { available: true, status: 'connected' } });
    expect(before.webhooks.linear).toBe('app');
    expect(before.setup.kommoWebhookAt).not.toBeNull();
    expect(before.setup.linearWebhookAt).not.toBeNull();
    expect(before.setup.previewedAt).toBeNull();
    const lead = stack.kommo.addLead({ name: 'Previewed deal', price: 1, statusId: stack.kommo.defaults.wonStatusId });
    const preview = await fetch(`${stack.server.url}/api/widget/settings/preview`, {
      method: 'POST',
      headers: { 'x-auth-token': stack.widgetToken({ is_admin: true }), 'content-type': 'application/json' },
      body: JSON.stringify({ leadId: lead.id }),
    });
    expect(preview.status).toBe(200);
    expect((await view()).setup.previewedAt).not.toBeNull();
  });

  it('marks the installation revoked on the OAuthApp revoked event, and Disconnect revokes at Linear and forgets', async () => {
    stack.linear.oauth.revokeWorkspace(stack.linear.store.organization.id);
    await stack.linear.webhooksIdle();
    expect(stack.linear.appEvents.at(-1)?.status).toBe(200);
    expect((await row()).linear_oauth_status).toBe('revoked');
    expect((await row()).linear_oauth_access_enc).toBeNull();

    expect((await connect()).status).toBe(200);
    const revokes = stack.linear.oauth.revokeCalls.length;
    expect((await api('DELETE', '/')).status).toBe(204);
    expect(stack.linear.oauth.revokeCalls.length).toBe(revokes + 1);
    expect(await row()).toMatchObject({ linear_oauth_status: null, linear_oauth_access_enc: null, linear_oauth_refresh_enc: null, linear_organization_id: null });
  });

  it('never writes the client secret or a token to a log line or an answer', () => {
    const secrets = [stack.linearClient.secret, ...stack.linear.oauth.issued.flatMap((t) => [t.access_token, t.refresh_token])];
    expect(secrets.length).toBeGreaterThan(4);
    const seen = [...stack.logs, ...answers].join('\n');
    for (const secret of secrets) expect(seen).not.toContain(secret);
  });
});
