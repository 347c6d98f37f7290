import { z } from 'zod';
import { AppError } from '../../../../server/errors';
import { createKommoSend, type KommoRequestDeps } from '../../../../server/kommo/request';
import { json, startHttpStub, type HttpStub } from '../../support/http-stub';
import { runInPlainNode } from '../../support/plain-node';

let stub: HttpStub;
beforeAll(async () => {
  stub = await startHttpStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
});

function deps(overrides: Partial<KommoRequestDeps> = {}): KommoRequestDeps {
  return { baseUrl: stub.baseUrl, accessToken: async () => 'tok-123', throttle: async () => undefined, timeoutMs: 2000, ...overrides };
}

const Thing = z.object({ id: z.number() });
const GET = { method: 'GET', path: '/api/v4/leads/5' } as const;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('createKommoSend', () => {
  it('sends the bearer token, query, JSON body and returns the parsed answer', async () => {
    stub.handle((_req, res) => json(res, 200, { id: 5, ignored: true }));
    const send = createKommoSend(deps());
    const result = await send({ method: 'PATCH', path: '/api/v4/leads/5', query: { with: 'contacts', page: 2 }, body: { name: 'x' } }, Thing);
    expect(result).toEqual({ id: 5 });
    const [req] = stub.requests;
    expect(req?.method).toBe('PATCH');
    expect(req?.url.pathname).toBe('/api/v4/leads/5');
    expect(Object.fromEntries(req?.url.searchParams ?? [])).toEqual({ with: 'contacts', page: '2' });
    expect(req?.headers.authorization).toBe('Bearer tok-123');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({ name: 'x' });
  });

  it('sends no content type and no body on GET', async () => {
    stub.handle((_req, res) => json(res, 200, { id: 1 }));
    await createKommoSend(deps())(GET, Thing);
    expect(stub.requests[0]?.headers['content-type']).toBeUndefined();
    expect(stub.requests[0]?.body).toBe('');
  });

  it('awaits the throttle before each call', async () => {
    stub.handle((_req, res) => json(res, 200, { id: 1 }));
    let release: () => void = () => undefined;
    let throttled = 0;
    const send = createKommoSend(
      deps({
        throttle: () => {
          throttled += 1;
          return new Promise<void>((resolve) => {
            release = resolve;
          });
        },
      }),
    );
    const pending = send(GET, Thing);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(throttled).toBe(1);
    expect(stub.requests).toHaveLength(0);
    release();
    await expect(pending).resolves.toEqual({ id: 1 });
    expect(stub.requests).toHaveLength(1);
    const second = send(GET, Thing);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(throttled).toBe(2);
    expect(stub.requests).toHaveLength(1);
    release();
    await second;
    expect(stub.requests).toHaveLength(2);
  });

  it('returns undefined for 204 and for an empty 200', async () => {
    stub.handle((_req, res) => res.writeHead(204).end());
    expect(await createKommoSend(deps())(GET, Thing)).toBeUndefined();
    stub.handle((_req, res) => res.writeHead(200).end('  '));
    expect(await createKommoSend(deps())(GET, Thing)).toBeUndefined();
  });

  it.each([
    [401, 'kommo_unauthorized', false, /refused the access token \(GET \/api\/v4\/leads\/5\)/],
    [403, 'kommo_forbidden', false, /denied GET \/api\/v4\/leads\/5: Not allowed; check/],
    [404, 'kommo_not_found', false, /no such record \(GET \/api\/v4\/leads\/5\)/],
    [500, 'kommo_unavailable', true, /HTTP 500 on GET \/api\/v4\/leads\/5/],
    [502, 'kommo_unavailable', true, /HTTP 502/],
    [402, 'kommo_account_unpaid', false, /refused GET \/api\/v4\/leads\/5 because the account's subscription is unpaid \(HTTP 402\)/],
  ] as const)('maps HTTP %i to %s', async (status, code, retryable, message) => {
    stub.handle((_req, res) => json(res, status, { title: 'Problem', detail: 'Not allowed' }));
    const error = await failure(createKommoSend(deps())(GET, Thing));
    expect(error).toMatchObject({ code, retryable });
    expect(error.message).toMatch(message);
  });

  it('maps 429 with Retry-After to kommo_rate_limited with that delay', async () => {
    stub.handle((_req, res) => json(res, 429, {}, { 'retry-after': '3' }));
    const error = await failure(createKommoSend(deps())(GET, Thing));
    expect(error).toMatchObject({ code: 'kommo_rate_limited', retryable: true, retryAfterMs: 3000 });
  });

  it.each([undefined, '0', 'soon'])('maps 429 with Retry-After %p to a one-second delay', async (retryAfter) => {
    stub.handle((_req, res) => json(res, 429, {}, retryAfter === undefined ? {} : { 'retry-after': retryAfter }));
    const error = await failure(createKommoSend(deps())(GET, Thing));
    expect(error).toMatchObject({ code: 'kommo_rate_limited', retryable: true, retryAfterMs: 1000 });
  });

  it('puts the first validation error, with its path, into a 400 message', async () => {
    stub.handle((_req, res) =>
      json(res, 400, {
        title: 'Bad Request',
        'validation-errors': [{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'custom_fields_values.0.field_id', detail: 'The value you have selected is not valid' }] }],
      }),
    );
    const error = await failure(createKommoSend(deps())({ method: 'PATCH', path: '/api/v4/leads/5', body: {} }, Thing));
    expect(error.code).toBe('kommo_rejected');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Kommo rejected PATCH /api/v4/leads/5 with HTTP 400: custom_fields_values.0.field_id The value you have selected is not valid',
    );
  });

  it('keeps a 400 message without detail when the body is not JSON', async () => {
    stub.handle((_req, res) => res.writeHead(400).end('<html>oops</html>'));
    expect((await failure(createKommoSend(deps())(GET, Thing))).message).toBe('Kommo rejected GET /api/v4/leads/5 with HTTP 400');
  });

  it('maps a malformed JSON answer to kommo_unavailable', async () => {
    stub.handle((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": 5'));
    const error = await failure(createKommoSend(deps())(GET, Thing));
    expect(error).toMatchObject({ code: 'kommo_unavailable', retryable: true });
    expect(error.message).toContain('not JSON');
  });

  it('maps an answer of the wrong shape to a permanent kommo_rejected', async () => {
    stub.handle((_req, res) => json(res, 200, { id: 'five' }));
    expect(await failure(createKommoSend(deps())(GET, Thing))).toMatchObject({ code: 'kommo_rejected', retryable: false });
  });

  it('times out a server that never answers', async () => {
    stub.handle(() => undefined);
    const started = performance.now();
    const error = await failure(createKommoSend(deps({ timeoutMs: 200 }))(GET, Thing));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(error).toMatchObject({ code: 'kommo_unavailable', retryable: true });
  });

  it('names the timeout in the message (checked in plain Node: under jest the DOMException is not instanceof the test realm Error)', async () => {
    const out = await runInPlainNode(`
      const { createServer } = require('node:http');
      const { z } = require('zod');
      const { createKommoSend } = require('./server/kommo/request');
      const server = createServer(() => undefined).listen(0, '127.0.0.1', async () => {
        const send = createKommoSend({ baseUrl: 'http://127.0.0.1:' + server.address().port, accessToken: async () => 't', throttle: async () => undefined, timeoutMs: 200 });
        try { await send({ method: 'GET', path: '/api/v4/leads/5' }, z.unknown()); console.log('{}'); }
        catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }
        server.closeAllConnections();
        server.close();
      });`);
    expect(JSON.parse(out)).toEqual({ code: 'kommo_unavailable', message: 'Kommo did not answer GET /api/v4/leads/5 within 200 ms' });
  });

  it('maps a refused connection to kommo_unavailable', async () => {
    const error = await failure(createKommoSend(deps({ baseUrl: 'http://127.0.0.1:1' }))(GET, Thing));
    expect(error).toMatchObject({ code: 'kommo_unavailable', retryable: true });
    expect(error.message).toBe('Kommo could not be reached (GET /api/v4/leads/5)');
  });

  it('reports each call to onCall with its status', async () => {
    const calls: Array<{ method: string; path: string; status: number | 'error' }> = [];
    stub.handle((_req, res) => json(res, 404, {}));
    await failure(createKommoSend(deps({ onCall: ({ method, path, status }) => calls.push({ method, path, status }) }))(GET, Thing));
    expect(calls).toEqual([{ method: 'GET', path: '/api/v4/leads/5', status: 404 }]);
  });

  it('times out a server that sends headers but stalls the body', async () => {
    stub.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    const error = await failure(createKommoSend(deps({ timeoutMs: 200 }))(GET, Thing));
    expect(error.code).toBe('kommo_unavailable');
  });
});
