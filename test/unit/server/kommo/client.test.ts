import { AppError, kommoAccessProblemOf } from '../../../../server/errors';
import { createKommoClient, type KommoClient } from '../../../../server/kommo/client';
import { json, startHttpStub, type HttpStub } from '../../support/http-stub';

let stub: HttpStub;
let throttled: number;
let client: KommoClient;
beforeAll(async () => {
  stub = await startHttpStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
  throttled = 0;
  client = createKommoClient({
    baseUrl: stub.baseUrl,
    accessToken: async () => 'long-lived',
    throttle: async () => {
      throttled += 1;
    },
    timeoutMs: 2000,
  });
});

const users = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: from + i, name: `User ${from + i}`, email: `u${from + i}@acme.com` }));

describe('createKommoClient', () => {
  it('listUsers follows pages of 250 until a short page', async () => {
    stub.handle((req, res) => {
      const page = Number(req.url.searchParams.get('page'));
      json(res, 200, { _embedded: { users: users((page - 1) * 250, page < 3 ? 250 : 7) } });
    });
    const all = await client.listUsers();
    expect(all).toHaveLength(507);
    expect(all[506]).toEqual({ id: 506, name: 'User 506', email: 'u506@acme.com' });
    expect(stub.requests.map((r) => [r.url.pathname, r.url.searchParams.get('page'), r.url.searchParams.get('limit')])).toEqual([
      ['/api/v4/users', '1', '250'],
      ['/api/v4/users', '2', '250'],
      ['/api/v4/users', '3', '250'],
    ]);
    expect(throttled).toBe(3);
    expect(stub.requests.every((r) => r.headers.authorization === 'Bearer long-lived')).toBe(true);
  });

  it('listUsers stops at a 204 after a full page', async () => {
    stub.handle((req, res) => {
      if (req.url.searchParams.get('page') === '1') json(res, 200, { _embedded: { users: users(0, 250) } });
      else res.writeHead(204).end();
    });
    expect(await client.listUsers()).toHaveLength(250);
    expect(stub.requests).toHaveLength(2);
  });

  it('getLead asks for contacts and parses the lead', async () => {
    stub.handle((_req, res) =>
      json(res, 200, { id: 5, name: null, price: null, status_id: 142, pipeline_id: 7, custom_fields_values: null, _embedded: { contacts: [{ id: 9, is_main: true }] } }),
    );
    const lead = await client.getLead(5);
    expect(lead).toMatchObject({ id: 5, name: '', price: 0, custom_fields_values: [], _embedded: { contacts: [{ id: 9, is_main: true }] } });
    expect(stub.requests[0]?.url.pathname).toBe('/api/v4/leads/5');
    expect(stub.requests[0]?.url.searchParams.get('with')).toBe('contacts');
  });

  it('getLead turns a 204 into kommo_not_found', async () => {
    stub.handle((_req, res) => res.writeHead(204).end());
    await expect(client.getLead(5)).rejects.toMatchObject({ code: 'kommo_not_found', message: 'Kommo returned no content for lead 5' });
  });

  it('passes AppErrors of the request through', async () => {
    stub.handle((_req, res) => json(res, 401, {}));
    const error: unknown = await client.getAccount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'kommo_unauthorized', retryable: false });
  });

  it('setLeadField sends the value as a PATCH of custom_fields_values', async () => {
    stub.handle((_req, res) => json(res, 200, { id: 5 }));
    await client.setLeadField(5, 777, 'ENG-42');
    const [req] = stub.requests;
    expect(req?.method).toBe('PATCH');
    expect(JSON.parse(req?.body ?? '')).toEqual({ custom_fields_values: [{ field_id: 777, values: [{ value: 'ENG-42' }] }] });
  });

  it('addLeadNote posts a common note', async () => {
    stub.handle((_req, res) => json(res, 200, { _embedded: { notes: [{ id: 1 }] } }));
    await client.addLeadNote(5, 'Linear task created: ENG-42');
    expect(stub.requests[0]?.url.pathname).toBe('/api/v4/leads/5/notes');
    expect(JSON.parse(stub.requests[0]?.body ?? '')).toEqual([{ note_type: 'common', params: { text: 'Linear task created: ENG-42' } }]);
  });

  it('listPipelines returns an empty list for a 204', async () => {
    stub.handle((_req, res) => res.writeHead(204).end());
    expect(await client.listPipelines()).toEqual([]);
  });

  it('createLeadField reads the created field wrapped in _embedded or bare', async () => {
    const field = { id: 31, name: 'Linear issue', type: 'text', code: null, is_api_only: false };
    stub.handle((_req, res) => json(res, 200, { _embedded: { custom_fields: [field] } }));
    expect(await client.createLeadField({ name: 'Linear issue', type: 'text' })).toEqual({ id: 31, name: 'Linear issue', type: 'text', code: null });
    stub.handle((_req, res) => json(res, 200, field));
    expect(await client.createLeadField({ name: 'Linear issue', type: 'text' })).toEqual({ id: 31, name: 'Linear issue', type: 'text', code: null });
    stub.handle((_req, res) => json(res, 200, { _embedded: { custom_fields: [] } }));
    await expect(client.createLeadField({ name: 'Linear issue', type: 'text' })).rejects.toMatchObject({ code: 'kommo_rejected' });
  });

  it('a 403 stays this call\'s problem when the account itself answers', async () => {
    stub.handle((req, res) => (req.url.pathname === '/api/v4/account' ? json(res, 200, { id: 1, subdomain: 'acme' }) : json(res, 403, { detail: 'Not an admin' })));
    await expect(client.addWebhook('https://x.test/hook', ['status_lead'])).rejects.toMatchObject({ code: 'kommo_forbidden' });
    expect(stub.requests.map((r) => r.url.pathname)).toEqual(['/api/v4/webhooks', '/api/v4/account']);
  });

  it('a 403 that the account endpoint repeats is the account restricted', async () => {
    stub.handle((_req, res) => json(res, 403, { detail: 'Forbidden' }));
    await expect(client.getLead(5)).rejects.toMatchObject({ code: 'kommo_access_restricted', retryable: false, message: expect.stringMatching(/HTTP 403 on GET \/api\/v4\/leads\/5/) });
    await expect(client.getAccount()).rejects.toMatchObject({ code: 'kommo_access_restricted' });
  });

  it('a 401 after a token refresh is the access refused, asked once with each token', async () => {
    const renewed: string[] = [];
    const oauthClient = createKommoClient({
      baseUrl: stub.baseUrl,
      accessToken: async () => 'stale',
      renewToken: async (stale) => {
        renewed.push(stale);
        return 'fresh';
      },
      throttle: async () => undefined,
      timeoutMs: 2000,
    });
    stub.handle((_req, res) => json(res, 401, { detail: 'Unauthorized' }));
    const error = await oauthClient.getLead(5).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'kommo_unauthorized', retryable: false });
    expect(kommoAccessProblemOf(error)).toBe('unauthorized');
    expect(renewed).toEqual(['stale']);
    expect(stub.requests.map((r) => r.headers.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('a 402 is the account unpaid', async () => {
    stub.handle((_req, res) => json(res, 402, { title: 'Payment Required', detail: 'Account is not paid' }));
    const error = await client.getLead(5).catch((e: unknown) => e);
    expect(kommoAccessProblemOf(error)).toBe('unpaid');
    expect(stub.requests).toHaveLength(1);
  });
});
