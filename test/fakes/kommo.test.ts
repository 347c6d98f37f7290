import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'qs';
import { z } from 'zod';
import { kommoAddWebhook, kommoStatusWebhook } from '../fixtures/kommo-webhook';
import { startFakeKommo, WON_STATUS_ID, type FakeKommo } from './kommo';

const Problem = z.object({ title: z.string(), type: z.string(), status: z.number(), detail: z.string() });
const Values = z.array(z.object({ value: z.union([z.string(), z.number(), z.boolean()]), enum_code: z.string().optional() }));
const FieldValues = z.array(z.object({ field_id: z.number(), field_name: z.string(), field_code: z.string().nullable(), field_type: z.string(), values: Values })).nullable();
const Lead = z.object({
  id: z.number(),
  name: z.string(),
  price: z.number(),
  status_id: z.number(),
  pipeline_id: z.number(),
  closed_at: z.number().nullable(),
  custom_fields_values: FieldValues,
  _embedded: z.object({
    tags: z.array(z.object({ id: z.number(), name: z.string(), color: z.string().nullable() })),
    contacts: z.array(z.object({ id: z.number(), is_main: z.boolean() })).optional(),
    companies: z.array(z.unknown()),
  }),
});
const LeadList = z.object({ _page: z.number(), _links: z.object({ next: z.object({ href: z.string() }).optional() }), _embedded: z.object({ leads: z.array(Lead) }) });
const Tokens = z.object({ token_type: z.literal('Bearer'), expires_in: z.number(), access_token: z.string(), refresh_token: z.string(), server_time: z.number() });

let fake: FakeKommo;

async function api(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${init.token ?? fake.accessToken}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${fake.baseUrl}${path}`, { ...init, headers });
}

async function json<T>(res: Response, schema: z.ZodType<T>): Promise<T> {
  return schema.parse(await res.json());
}

beforeAll(async () => {
  fake = await startFakeKommo();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

test('rejects a missing or wrong bearer token with problem+json, and accepts a replaced token', async () => {
  const missing = await fetch(`${fake.baseUrl}/api/v4/account`);
  expect(missing.status).toBe(401);
  expect(missing.headers.get('content-type')).toBe('application/problem+json');
  expect(await json(missing, Problem)).toMatchObject({ title: 'Unauthorized', type: 'https://httpstatus.es/401', status: 401 });

  expect((await api('/api/v4/account', { token: 'nope' })).status).toBe(401);
  fake.setAccessToken('rotated');
  expect((await api('/api/v4/account', { token: 'kommo_test_token' })).status).toBe(401);
  expect(fake.accessToken).toBe('rotated');
  const ok = await api('/api/v4/account?with=datetime_settings');
  expect(ok.headers.get('content-type')).toBe('application/hal+json');
  const account = z.object({ id: z.number(), subdomain: z.string(), currency_symbol: z.string(), _embedded: z.object({ datetime_settings: z.object({ timezone: z.string() }) }) });
  expect(await json(ok, account)).toMatchObject({ id: 29999999, subdomain: 'acme', currency_symbol: '$', _embedded: { datetime_settings: { timezone: 'America/New_York' } } });
});

test('serves a lead with its main contact, tags and custom fields, and the contact with its email', async () => {
  const contact = fake.addContact({ name: 'Bob Buyer', email: 'bob@client.test', phone: '+1 555 0100' });
  const deadline = new Date('2030-01-15T00:00:00Z');
  const lead = fake.addLead({
    name: 'ACME deal',
    price: 5000,
    statusId: WON_STATUS_ID,
    tags: ['vip'],
    contactIds: [contact.id],
    customFields: { [fake.defaults.specFieldId]: 'Build it', [fake.defaults.deadlineFieldId]: deadline },
  });

  const body = await json(await api(`/api/v4/leads/${lead.id}?with=contacts`), Lead);
  expect(body).toMatchObject({ id: lead.id, price: 5000, status_id: 142, pipeline_id: fake.defaults.pipelineId, _embedded: { tags: [{ name: 'vip', color: null }], contacts: [{ id: contact.id, is_main: true }] } });
  expect(body.closed_at).toEqual(expect.any(Number));
  expect(body.custom_fields_values).toEqual([
    expect.objectContaining({ field_id: fake.defaults.specFieldId, field_name: 'Spec', field_type: 'textarea', values: [{ value: 'Build it' }] }),
    expect.objectContaining({ field_name: 'Deadline', field_type: 'date', values: [{ value: deadline.getTime() / 1000 }] }),
  ]);
  expect((await json(await api(`/api/v4/leads/${lead.id}`), Lead))._embedded.contacts).toBeUndefined();

  const person = z.object({ first_name: z.string(), last_name: z.string(), custom_fields_values: FieldValues });
  const got = await json(await api(`/api/v4/contacts/${contact.id}`), person);
  expect(got).toMatchObject({ first_name: 'Bob', last_name: 'Buyer' });
  expect(got.custom_fields_values).toContainEqual(expect.objectContaining({ field_code: 'EMAIL', field_type: 'multitext', values: [{ value: 'bob@client.test', enum_code: 'WORK' }] }));

  const missing = await api('/api/v4/leads/1');
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toBe('application/problem+json');
});

test('creates a custom field, writes it with PATCH and reads it back; rejects unknown fields like Kommo', async () => {
  const created = await api('/api/v4/leads/custom_fields', { method: 'POST', body: JSON.stringify([{ name: 'Linear issue', type: 'url', code: 'LINEAR_ISSUE' }]) });
  expect(created.status).toBe(200);
  const fields = z.object({ _embedded: z.object({ custom_fields: z.array(z.object({ id: z.number(), entity_type: z.literal('leads') })) }) });
  const [field] = (await json(created, fields))._embedded.custom_fields;
  const lead = fake.addLead({ name: 'Deal', price: 10 });

  const url = 'https://linear.app/acme/issue/ENG-42';
  const patched = await api(`/api/v4/leads/${lead.id}`, { method: 'PATCH', body: JSON.stringify({ custom_fields_values: [{ field_id: field?.id, values: [{ value: url }] }] }) });
  expect(await json(patched, z.object({ id: z.number(), updated_at: z.number() }))).toMatchObject({ id: lead.id });
  const read = await json(await api(`/api/v4/leads/${lead.id}`), Lead);
  expect(read.custom_fields_values).toContainEqual(expect.objectContaining({ field_id: field?.id, field_code: 'LINEAR_ISSUE', values: [{ value: url }] }));
  expect(fake.fieldValue(lead.id, 'Linear issue')).toBe(url);

  await api(`/api/v4/leads/${lead.id}`, { method: 'PATCH', body: JSON.stringify({ custom_fields_values: [{ field_code: 'LINEAR_ISSUE', values: [{ value: `${url}?v=2` }] }] }) });
  expect(fake.fieldValue(lead.id, field?.id ?? 0)).toBe(`${url}?v=2`);

  const bad = await api(`/api/v4/leads/${lead.id}`, { method: 'PATCH', body: JSON.stringify({ custom_fields_values: [{ field_id: 1, values: [{ value: 'x' }] }] }) });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ 'validation-errors': [{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'custom_fields_values.0.field_id' }] }], status: 400 });
  const malformed = await api(`/api/v4/leads/${lead.id}`, { method: 'PATCH', body: '{nope' });
  expect(malformed.status).toBe(400);
  expect(malformed.headers.get('content-type')).toBe('application/problem+json');
});

test('posts common and service-message notes to a lead', async () => {
  const lead = fake.addLead({ name: 'Deal' });
  const res = await api(`/api/v4/leads/${lead.id}/notes`, {
    method: 'POST',
    body: JSON.stringify([
      { note_type: 'common', params: { text: 'Linear task created: ENG-42' } },
      { note_type: 'service_message', params: { service: 'Linear', text: 'Done' } },
    ]),
  });
  const notes = z.object({ _embedded: z.object({ notes: z.array(z.object({ id: z.number(), entity_id: z.number() })) }) });
  expect((await json(res, notes))._embedded.notes).toEqual([expect.objectContaining({ entity_id: lead.id }), expect.objectContaining({ entity_id: lead.id })]);
  expect(fake.notes(lead.id).map((n) => n.params.text)).toEqual(['Linear task created: ENG-42', 'Done']);
  const listed = await api(`/api/v4/leads/${lead.id}/notes?filter[note_type]=common&filter[updated_at][from]=0&order[id]=desc`);
  const list = z.object({ _embedded: z.object({ notes: z.array(z.object({ note_type: z.string(), params: z.object({ text: z.string() }) })) }) });
  expect((await json(listed, list))._embedded.notes).toEqual([{ note_type: 'common', params: { text: 'Linear task created: ENG-42' } }]);

  const empty = await api(`/api/v4/leads/${lead.id}/notes`, { method: 'POST', body: JSON.stringify([{ note_type: 'common', params: {} }]) });
  expect(empty.status).toBe(400);
});

test('lists leads by status with paging, and answers 204 with no body when nothing matches', async () => {
  const { pipelineId } = fake.defaults;
  const won = `/api/v4/leads?filter[statuses][0][pipeline_id]=${pipelineId}&filter[statuses][0][status_id]=142&order[updated_at]=desc&limit=1`;
  const none = await api(won);
  expect(none.status).toBe(204);
  expect(await none.text()).toBe('');

  const first = fake.addLead({ name: 'One', updatedAt: 1000 });
  const second = fake.addLead({ name: 'Two', updatedAt: 1000 });
  fake.addLead({ name: 'Still open' });
  fake.setLeadStatus(first.id, WON_STATUS_ID);
  fake.setLeadStatus(second.id, WON_STATUS_ID);
  const page1 = await json(await api(won), LeadList);
  expect(page1._embedded.leads.map((l) => l.id)).toHaveLength(1);
  expect(page1._links.next?.href).toContain('page=2');
  const page2 = await json(await fetch(page1._links.next?.href ?? '', { headers: { authorization: `Bearer ${fake.accessToken}` } }), LeadList);
  expect([...page1._embedded.leads, ...page2._embedded.leads].map((l) => l.id).sort()).toEqual([first.id, second.id]);
  expect(page2._links.next).toBeUndefined();
});

test('injected 429 with a plain-text body, then success', async () => {
  const handle = fake.inject({ method: 'GET', path: /^\/api\/v4\/users/, status: 429, body: 'Too Many Requests' });
  const limited = await api('/api/v4/users');
  expect(limited.status).toBe(429);
  expect(await limited.text()).toBe('Too Many Requests');
  expect(handle.remaining).toBe(0);
  const users = z.object({ _embedded: z.object({ users: z.array(z.object({ email: z.string(), rights: z.object({ is_admin: z.boolean() }) })) }) });
  expect((await json(await api('/api/v4/users'), users))._embedded.users).toEqual([{ email: 'alice@example.com', rights: { is_admin: true } }]);
});

test('a timeout fault never answers; an after-commit fault applies the write and then fails', async () => {
  fake.inject({ path: /^\/api\/v4\/account$/, kind: 'timeout' });
  await expect(api('/api/v4/account', { signal: AbortSignal.timeout(150) })).rejects.toThrow(/aborted|timeout/i);
  expect((await api('/api/v4/account')).status).toBe(200);

  const lead = fake.addLead({ name: 'Deal' });
  fake.inject({ method: 'PATCH', kind: 'after-commit-500' });
  const res = await api(`/api/v4/leads/${lead.id}`, { method: 'PATCH', body: JSON.stringify({ custom_fields_values: [{ field_id: fake.defaults.specFieldId, values: [{ value: 'saved' }] }] }) });
  expect(res.status).toBe(500);
  expect(fake.fieldValue(lead.id, 'Spec')).toBe('saved');
});

test('rate limit answers 429 beyond N per sliding second and the counter sees the burst', async () => {
  const limited = await startFakeKommo({ rateLimitPerSecond: 3 });
  try {
    const statuses = await Promise.all(Array.from({ length: 5 }, () => fetch(`${limited.baseUrl}/api/v4/account`, { headers: { authorization: 'Bearer kommo_test_token' } }).then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 200, 200, 429, 429]);
    expect(limited.maxRequestsPerSecond()).toBe(5);
    expect(limited.requests.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);
  } finally {
    await limited.close();
  }
});

test('webhook fixtures parse with qs into the nested shape Kommo sends', () => {
  const status = kommoStatusWebhook({ accountId: 29999999, subdomain: 'acme', leads: [{ id: 11, statusId: 142, pipelineId: 33, oldStatusId: 44 }] });
  expect(status).toContain('leads%5Bstatus%5D%5B0%5D%5Bid%5D=11');
  expect(parse(status)).toEqual({
    leads: { status: [{ id: '11', status_id: '142', pipeline_id: '33', old_status_id: '44', old_pipeline_id: '33' }] },
    account: { id: '29999999', subdomain: 'acme', _links: { self: 'https://acme.kommo.com' } },
  });
  const add = kommoAddWebhook({ accountId: 1, subdomain: 'acme', leads: [{ id: 5, name: 'New', statusId: 7, pipelineId: 8, responsibleUserId: 9, price: 100, dateCreate: 1700000000 }] }, { encodeBrackets: false });
  expect(add).toContain('leads[add][0][name]=New');
  expect(parse(add)).toMatchObject({ leads: { add: [{ id: '5', name: 'New', status_id: '7', price: '100', date_create: '1700000000', created_user_id: '9', account_id: '1' }] } });
});

test('sendStatusWebhook posts the form body for the current stage of a lead', async () => {
  const received: unknown[] = [];
  const receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      received.push(parse(raw));
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const lead = fake.addLead({ name: 'Deal' });
    fake.setLeadStatus(lead.id, WON_STATUS_ID);
    const status = await fake.sendStatusWebhook(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, lead.id);
    expect(status).toBe(200);
    expect(received).toEqual([expect.objectContaining({ leads: { status: [expect.objectContaining({ id: String(lead.id), status_id: '142', old_status_id: String(fake.defaults.openStatusIds[0]) })] } })]);
  } finally {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
});

test('webhook subscription, and 403 on plans without API webhooks', async () => {
  const body = JSON.stringify({ destination: 'https://app.example.test/webhooks/kommo/s3cret', settings: ['status_lead'], sort: 10 });
  const created = await api('/api/v4/webhooks', { method: 'POST', body });
  expect(await created.json()).toMatchObject({ destination: 'https://app.example.test/webhooks/kommo/s3cret', settings: ['status_lead'], disabled: false });
  expect(fake.webhooks()).toHaveLength(1);
  fake.setWebhooksForbidden(true);
  expect((await api('/api/v4/webhooks', { method: 'POST', body })).status).toBe(403);
});

test('OAuth: code exchange, then single-use rotating refresh tokens', async () => {
  const client = { client_id: 'cid', client_secret: 'secret', redirect_uri: 'https://app.example.test/oauth' };
  fake.oauth.configure({ clientId: 'cid', clientSecret: 'secret', redirectUri: client.redirect_uri });
  const token = (body: object) => fetch(`${fake.baseUrl}/oauth2/access_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...client, ...body }) });

  const code = fake.oauth.issueCode();
  const first = await json(await token({ grant_type: 'authorization_code', code }), Tokens);
  expect((await token({ grant_type: 'authorization_code', code })).status).toBe(400);
  expect((await api('/api/v4/account', { token: first.access_token })).status).toBe(200);

  const second = await json(await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }), Tokens);
  expect(second.refresh_token).not.toBe(first.refresh_token);
  expect((await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).status).toBe(400);
  expect((await token({ grant_type: 'refresh_token', refresh_token: second.refresh_token, client_secret: 'wrong' })).status).toBe(401);
  expect((await api('/api/v4/account', { token: second.access_token })).status).toBe(200);
  expect(fake.oauth.tokenCalls).toBe(5);
});

test('unknown routes are 404 problem+json; delay adds latency', async () => {
  const res = await api('/api/v4/nope');
  expect(res.status).toBe(404);
  expect(await json(res, Problem)).toMatchObject({ status: 404 });
  fake.setDelay(60);
  const started = Date.now();
  await api('/api/v4/account');
  expect(Date.now() - started).toBeGreaterThanOrEqual(55);
});

test('serves a documented body in place of its own, or reshapes its own answer', async () => {
  const lead = fake.addLead({ name: 'Served as documented' });
  fake.inject({ method: 'GET', path: new RegExp(`^/api/v4/leads/${lead.id}$`), kind: 'body', json: { id: lead.id, price: null, _embedded: [] } });
  expect(await (await api(`/api/v4/leads/${lead.id}`)).json()).toEqual({ id: lead.id, price: null, _embedded: [] });
  expect(await json(await api(`/api/v4/leads/${lead.id}`), Lead)).toMatchObject({ id: lead.id, name: 'Served as documented' });

  fake.inject({ method: 'GET', path: /^\/api\/v4\/account$/, kind: 'reshape', reshape: (body) => ({ wrapped: body }) });
  const reshaped = z.object({ wrapped: z.object({ id: z.number() }) });
  expect(await json(await api('/api/v4/account'), reshaped)).toEqual({ wrapped: { id: 29999999 } });
});

test('blocks every API call of the account like Kommo until the block is lifted', async () => {
  for (const status of [401, 402, 403] as const) {
    const block = fake.blockAccount(status);
    for (const path of ['/api/v4/account', '/api/v4/leads']) {
      const res = await api(path);
      expect(res.status).toBe(status);
      expect(await json(res, Problem)).toMatchObject({ status });
    }
    block.cancel();
    expect((await api('/api/v4/account')).status).toBe(200);
  }
});
