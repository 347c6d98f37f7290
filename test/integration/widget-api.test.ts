/**
 * The widget API end to end: real HTTP server, queue and database, loopback fakes of Kommo and
 * Linear, tokens signed like Kommo's $authorizedAjax. Runs on PostgreSQL when TEST_DATABASE_URL is
 * set, else on PGlite.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorBodySchema, LeadLinksResponseSchema, LinkResponseSchema, SearchResponseSchema, type LeadLinksResponse } from '../../shared/api';
import { createSecretBox, hashSecret } from '../../server/crypto/secret-box';
import { signKommoToken } from '../helpers/kommo-token';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('Widget API', () => {
  let stack: Stack;
  const other = { accountId: 777001, baseUrl: 'https://beta.kommo.com', secret: randomBytes(32).toString('base64url') };

  beforeAll(async () => {
    stack = await startStack();
    // A second connected account, to prove one account never sees another's links.
    const box = createSecretBox(stack.config.encryptionKey ?? '');
    await stack.db.db('installations').insert({
      id: randomUUID(),
      mode: 'oauth',
      status: 'active',
      kommo_account_id: other.accountId,
      kommo_subdomain: 'beta',
      kommo_base_url: other.baseUrl,
      kommo_webhook_secret_hash: hashSecret(randomBytes(16).toString('hex')),
      kommo_client_secret_enc: box.encrypt(other.secret),
      settings: '{}',
    });
  });
  afterAll(async () => {
    await stack.close();
  });
  afterEach(() => {
    stack.kommo.clearFaults();
  });

  interface Call {
    method?: string;
    token?: string | null;
    body?: unknown;
    rawBody?: string;
    origin?: string;
    headers?: Record<string, string>;
  }
  async function api(path: string, call: Call = {}) {
    const headers: Record<string, string> = { ...call.headers };
    const token = call.token === undefined ? stack.widgetToken() : call.token;
    if (token !== null) headers['x-auth-token'] = token;
    if (call.origin) headers.origin = call.origin;
    if (call.body !== undefined || call.rawBody !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${stack.server.url}/api/widget${path}`, {
      method: call.method ?? 'GET',
      headers,
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : call.rawBody !== undefined ? { body: call.rawBody } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
  }
  const error = (body: unknown) => ErrorBodySchema.parse(body).error;
  const getLead = async (leadId: number): Promise<LeadLinksResponse> => {
    const answer = await api(`/leads/${leadId}`);
    expect(answer.status).toBe(200);
    return LeadLinksResponseSchema.parse(answer.body);
  };
  const openLead = (name: string) => stack.kommo.addLead({ name, price: 1200, statusId: stack.kommo.defaults.openStatusIds[0] ?? 1 });
  const linearIssue = (title: string) => {
    const team = stack.linear.store.findTeam('ENG');
    if (!team) throw new Error('no ENG team in the fake');
    return stack.linear.store.createIssue({ teamId: team.id, title });
  };
  const dealUrl = (leadId: number) => `${stack.kommo.baseUrl}/leads/detail/${leadId}`;
  const waitLinked = (leadId: number, count = 1) =>
    waitFor(`${count} linked link(s) on lead ${leadId}`, async () => {
      const view = await getLead(leadId);
      return view.links.filter((l) => l.status === 'linked').length === count ? view : undefined;
    });

  it('creates an issue through the Won job and shows it linked from the database only', async () => {
    const lead = openLead('Card-made issue');
    const empty = await getLead(lead.id);
    expect(empty).toEqual({ leadId: lead.id, configured: true, kommoAccess: null, linearAccess: 'connected', isAdmin: false, dealDeadline: null, links: [] });

    const created = await api(`/leads/${lead.id}/issues`, { method: 'POST', body: {} });
    expect(created.status).toBe(202);
    const link = LinkResponseSchema.parse(created.body).link;
    expect(link.status).toBe('creating');

    const view = await waitLinked(lead.id);
    const shown = view.links[0];
    expect(shown?.linkId).toBe(link.linkId);
    const issue = stack.linear.store.issue(shown?.issue?.issueId ?? '');
    expect(shown?.issue).toMatchObject({ identifier: issue?.identifier, title: 'Card-made issue', url: issue?.url, deleted: false, priority: 2 });
    expect(shown?.issue?.state?.type).toBe('backlog');
    expect(shown?.issue?.syncedAt).not.toBeNull();
    expect(stack.linear.store.attachments().filter((a) => a.url === dealUrl(lead.id))).toHaveLength(1);
    await waitFor('the note', () => stack.kommo.notes(lead.id)[0]);

    // A second Create on a deal that has its issue makes an extra one.
    const again = await api(`/leads/${lead.id}/issues`, { method: 'POST', body: {} });
    expect(again.status).toBe(202);
    const both = await waitLinked(lead.id, 2);
    expect(new Set(both.links.map((l) => l.issue?.issueId)).size).toBe(2);
  });

  it('serves GET without any Kommo or Linear request and reports is_admin', async () => {
    const lead = openLead('Quiet card');
    await api(`/leads/${lead.id}/issues`, { method: 'POST', body: {} });
    await waitLinked(lead.id);
    await waitFor('the note', () => stack.kommo.notes(lead.id)[0]);
    const before = { kommo: stack.kommo.requests.length, linear: stack.linear.requests.length };
    for (let i = 0; i < 5; i++) await getLead(lead.id);
    const admin = await api(`/leads/${lead.id}`, { token: stack.widgetToken({ is_admin: true }) });
    expect(LeadLinksResponseSchema.parse(admin.body).isAdmin).toBe(true);
    // The server's own time, which the card-open benchmark reads.
    expect(admin.headers.get('server-timing')).toMatch(/^app;dur=\d+\.\d{2}$/);
    expect({ kommo: stack.kommo.requests.length, linear: stack.linear.requests.length }).toEqual(before);
  });

  it('links an existing issue by lower-case identifier, URL and UUID, with the back-link in Linear', async () => {
    const lead = openLead('Linking deal');
    const [a, b, c] = [linearIssue('Existing A'), linearIssue('Existing B'), linearIssue('Existing C')];
    for (const ref of [a.identifier.toLowerCase(), b.url, c.id]) {
      const answer = await api(`/leads/${lead.id}/links`, { method: 'POST', body: { issue: ref } });
      expect(answer.status).toBe(201);
      expect(LinkResponseSchema.parse(answer.body).link.status).toBe('linked');
    }
    for (const issue of [a, b, c]) {
      const attachment = stack.linear.store.attachments().find((x) => x.issueId === issue.id && x.url === dealUrl(lead.id));
      expect(attachment?.title).toBe(`Kommo deal #${lead.id}`);
      expect(attachment?.subtitle).toMatch(/^\$1,200\.00 · \S/);
    }
    const view = await getLead(lead.id);
    expect(view.links.map((l) => l.issue?.identifier)).toEqual([a.identifier, b.identifier, c.identifier]);

    const repeat = await api(`/leads/${lead.id}/links`, { method: 'POST', body: { issue: a.identifier } });
    expect(repeat.status).toBe(200);
    expect((await getLead(lead.id)).links).toHaveLength(3);

    const unknown = await api(`/leads/${lead.id}/links`, { method: 'POST', body: { issue: 'ENG-99999' } });
    expect(unknown.status).toBe(404);
    expect(error(unknown.body).message).toMatch(/no issue ENG-99999/);
  });

  it('unlinks: removes the back-link in Linear and hides the link', async () => {
    const lead = openLead('Unlinking deal');
    const issue = linearIssue('To be unlinked');
    const linked = LinkResponseSchema.parse((await api(`/leads/${lead.id}/links`, { method: 'POST', body: { issue: issue.identifier } })).body).link;
    expect(stack.linear.store.attachments().some((x) => x.issueId === issue.id)).toBe(true);

    const removed = await api(`/leads/${lead.id}/links/${linked.linkId}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(stack.linear.store.attachments().some((x) => x.issueId === issue.id && x.url === dealUrl(lead.id))).toBe(false);
    expect((await getLead(lead.id)).links).toEqual([]);
    expect((await api(`/leads/${lead.id}/links/${linked.linkId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('keeps the link and answers 503 when Linear fails temporarily during unlink', async () => {
    const lead = openLead('Unlink during outage');
    const issue = linearIssue('Outage issue');
    const linked = LinkResponseSchema.parse((await api(`/leads/${lead.id}/links`, { method: 'POST', body: { issue: issue.id } })).body).link;
    stack.linear.inject({ operation: 'attachmentsForURL', kind: 'http500', times: 1 });
    const answer = await api(`/leads/${lead.id}/links/${linked.linkId}`, { method: 'DELETE' });
    expect(answer.status).toBe(503);
    expect(error(answer.body).message).toMatch(/stays linked/);
    expect((await getLead(lead.id)).links).toHaveLength(1);
  });

  it('retries a failed link after a permanent Kommo failure', async () => {
    const lead = openLead('Retry me');
    // Refused twice: when Create looks up the deal's pipeline (it falls back), then by the job.
    stack.kommo.inject({ method: 'GET', path: new RegExp(`^/api/v4/leads/${lead.id}$`), status: 403, times: 2 });
    const link = LinkResponseSchema.parse((await api(`/leads/${lead.id}/issues`, { method: 'POST', body: {} })).body).link;
    const failed = await waitFor('the failed link', async () => (await getLead(lead.id)).links.find((l) => l.status === 'failed'));
    expect(failed.problem).toMatchObject({ code: 'kommo_forbidden', retryable: false });
    expect((await api(`/leads/${lead.id}/issues`, { method: 'POST', body: {} })).status).toBe(409);

    const retried = await api(`/leads/${lead.id}/links/${link.linkId}/retry`, { method: 'POST', body: {} });
    expect(retried.status).toBe(202);
    expect(LinkResponseSchema.parse(retried.body).link).toMatchObject({ linkId: link.linkId, status: 'creating', problem: null });
    const view = await waitLinked(lead.id);
    expect(view.links[0]?.problem).toBeNull();

    const notAgain = await api(`/leads/${lead.id}/links/${link.linkId}/retry`, { method: 'POST', body: {} });
    expect(notAgain.status).toBe(409);
    expect(error(notAgain.body).message).toMatch(/only a failed or retrying link/);
  });

  it('searches Linear, exact identifiers first', async () => {
    const target = linearIssue('Zebra migration');
    linearIssue('Zebra follow-up');
    const byText = await api(`/linear/search?q=${encodeURIComponent('  zebra ')}`);
    expect(byText.status).toBe(200);
    expect(SearchResponseSchema.parse(byText.body).results.map((r) => r.title).sort()).toEqual(['Zebra follow-up', 'Zebra migration']);
    const byId = SearchResponseSchema.parse((await api(`/linear/search?q=${target.identifier.toLowerCase()}`)).body);
    expect(byId.results[0]).toMatchObject({ issueId: target.id, identifier: target.identifier, title: 'Zebra migration' });

    for (const q of ['', '%20%20', 'x'.repeat(201)]) {
      const bad = await api(`/linear/search?q=${q}`);
      expect(bad.status).toBe(400);
      expect(error(bad.body).field).toBe('q');
    }
    expect(error((await api('/linear/search')).body).field).toBe('q');
  });

  it('answers the live poll 304 from the database until a signed Linear webhook changes the issue', async () => {
    const lead = openLead('Live card');
    await api(`/leads/${lead.id}/issues`, { method: 'POST', body: {} });
    const [shown] = (await waitLinked(lead.id)).links;
    await waitFor('the note', () => stack.kommo.notes(lead.id)[0]);
    await stack.idle();
    const linearBefore = stack.linear.requests.length;
    const poll = (etag: string) => api(`/leads/${lead.id}`, { headers: { 'if-none-match': etag } });

    const first = await api(`/leads/${lead.id}`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const unchanged = await poll(etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBeUndefined();
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect(stack.linear.requests.length).toBe(linearBefore);
    // Another user (not an admin) sees another answer, so another ETag.
    expect((await api(`/leads/${lead.id}`, { token: stack.widgetToken({ is_admin: true }), headers: { 'if-none-match': etag } })).status).toBe(200);

    // Someone completes the issue in Linear; the fake delivers the signed webhook to the server.
    const issueId = shown?.issue?.issueId ?? '';
    const done = stack.linear.store.teamStates(stack.linear.store.issue(issueId)?.teamId ?? '').find((s) => s.type === 'completed');
    if (!done) throw new Error('no completed state');
    stack.linear.store.updateIssue(issueId, { stateId: done.id }, stack.linear.store.addUser({ name: 'Dana Dev', email: 'dana.live@example.com' }).id);
    const changed = await waitFor('a 200 with the completed state', async () => {
      const answer = await poll(etag);
      return answer.status === 200 ? answer : undefined;
    });
    expect(LeadLinksResponseSchema.parse(changed.body).links[0]?.issue?.state?.type).toBe('completed');
    const next = changed.headers.get('etag') ?? '';
    expect(next).not.toBe(etag);
    await stack.idle();
    const linearAfterWebhook = stack.linear.requests.length;
    expect((await poll(next)).status).toBe(304);
    expect((await poll(etag)).status).toBe(200);
    // The card's reads never asked Linear (only the webhook's own handling may have).
    expect(stack.linear.requests.length).toBe(linearAfterWebhook);
  });

  it('lets the widget send If-None-Match and read the ETag across origins', async () => {
    const own = stack.kommo.baseUrl;
    const preflight = await fetch(`${stack.server.url}/api/widget/leads/1`, {
      method: 'OPTIONS',
      headers: { origin: own, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-auth-token, if-none-match' },
    });
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/If-None-Match/i);
    const answer = await api('/leads/1', { origin: own });
    expect(answer.headers.get('access-control-expose-headers')).toMatch(/ETag/i);
  });

  it("answers CORS only for the account's Kommo origin", async () => {
    const own = stack.kommo.baseUrl;
    const preflight = await fetch(`${stack.server.url}/api/widget/leads/1`, {
      method: 'OPTIONS',
      headers: { origin: own, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-auth-token' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(own);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Auth-Token/i);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Content-Type/i);

    const foreign = await fetch(`${stack.server.url}/api/widget/leads/1`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    const ok = await api('/leads/1', { origin: own });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(own);
    const unauthenticated = await api('/leads/1', { origin: own, token: null });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('access-control-allow-origin')).toBe(own);
    const evil = await api('/leads/1', { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    // Another connected account's origin cannot use this account's token.
    const crossed = await api('/leads/1', { origin: other.baseUrl });
    expect(crossed.status).toBe(403);
    expect(crossed.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses missing, malformed, forged, expired and misdirected tokens with a reason', async () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    const cases: Array<[string, string | null, RegExp]> = [
      ['missing', null, /Missing X-Auth-Token/],
      ['garbage', 'not-a-jwt', /not a valid JWT/],
      ['wrong secret', stack.widgetToken({}, { secret: 'someone-else' }), /bad signature/],
      ['expired', stack.widgetToken({}, { now: hourAgo }), /expired/],
      ['not yet valid', stack.widgetToken({}, { now: new Date(Date.now() + 600_000) }), /not valid yet/],
      ['wrong audience', stack.widgetToken({ aud: 'https://elsewhere.example' }), /wrong audience/],
      ['unknown account', stack.widgetToken({ account_id: 4242, iss: 'https://gamma.kommo.com' }), /Unknown account 4242/],
      ['other integration', stack.widgetToken({ client_uuid: randomUUID() }), /another integration/],
      ['other algorithm', stack.widgetToken({}, { alg: 'HS512' }), /HS256/],
    ];
    for (const [name, token, message] of cases) {
      const answer = await api('/leads/1', { token });
      expect({ name, status: answer.status }).toEqual({ name, status: 401 });
      expect({ name, message: error(answer.body).message }).toEqual({ name, message: expect.stringMatching(message) });
      expect(error(answer.body).code).toBe('unauthorized');
    }
    // Within the 30 s leeway an expired token still passes.
    const justExpired = stack.widgetToken({}, { now: new Date(Date.now() - 10_000), lifetimeSeconds: 1 });
    expect((await api('/leads/1', { token: justExpired })).status).toBe(200);
  });

  it("never shows or touches another account's links", async () => {
    const lead = openLead('Private deal');
    const issue = linearIssue('Private issue');
    const link = LinkResponseSchema.parse((await api(`/leads/${lead.id}/links`, { method: 'POST', body: { issue: issue.id } })).body).link;
    const otherToken = signKommoToken({ secret: other.secret, claims: { iss: other.baseUrl, aud: new URL(stack.config.publicUrl).origin, account_id: other.accountId } });

    const seen = await api(`/leads/${lead.id}`, { token: otherToken });
    expect(seen.status).toBe(200);
    expect(LeadLinksResponseSchema.parse(seen.body).links).toEqual([]);
    for (const [method, path] of [
      ['DELETE', `/leads/${lead.id}/links/${link.linkId}`],
      ['POST', `/leads/${lead.id}/links/${link.linkId}/retry`],
    ] as const) {
      const answer = await api(path, { method, token: otherToken, ...(method === 'POST' ? { body: {} } : {}) });
      expect(answer.status).toBe(404);
    }
    // The right account, but another deal's path.
    expect((await api(`/leads/${lead.id + 1}/links/${link.linkId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await getLead(lead.id)).links).toHaveLength(1);
  });

  it('answers 400 naming the field for bad input', async () => {
    const cases: Array<[string, Call, string]> = [
      ['/leads/abc', {}, 'leadId'],
      ['/leads/0', {}, 'leadId'],
      ['/leads/1/links', { method: 'POST', body: { issue: '   ' } }, 'issue'],
      ['/leads/1/links', { method: 'POST', body: {} }, 'issue'],
      ['/leads/1/links', { method: 'POST', body: { issue: 'not an issue' } }, 'issue'],
      ['/leads/1/links/not-a-uuid', { method: 'DELETE' }, 'linkId'],
    ];
    for (const [path, call, field] of cases) {
      const answer = await api(path, call);
      expect({ path, status: answer.status, field: error(answer.body).field }).toEqual({ path, status: 400, field });
    }
    const broken = await api('/leads/1/links', { method: 'POST', rawBody: '{"issue":' });
    expect(broken.status).toBe(400);
  });
});
