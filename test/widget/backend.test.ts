/**
 * The backend client: URLs and methods of every endpoint, schema validation of answers, and the
 * mapping of failures (401, timeouts, ErrorBody, bad bodies, missing server URL) to BackendError.
 */
import type { HostRequest, HostResponse } from '../../widget/src/host/kommo-host';
import { createBackend } from '../../widget/src/api/backend';
import { BackendError } from '../../widget/src/api/backend-error';
import { lead, link } from './support/fixtures';

function transportAnswering(...answers: HostResponse[]) {
  const requests: HostRequest[] = [];
  const transport = (request: HostRequest) => {
    requests.push(request);
    return Promise.resolve(answers.shift() ?? { status: 200, body: undefined, textStatus: 'success' });
  };
  return { requests, transport };
}

const ok = (body: unknown, status = 200): HostResponse => ({ status, body, textStatus: 'success' });

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('backend client', () => {
  const base = () => 'https://backend.test';

  it('calls every endpoint with the right method, URL and body', async () => {
    const linkBody = { link: link() };
    const { requests, transport } = transportAnswering(
      ok(lead({ links: [link()] })),
      ok(linkBody, 202),
      ok(linkBody, 201),
      ok(undefined, 204),
      ok(linkBody, 202),
      ok({ results: [] }),
    );
    const backend = createBackend(transport, base, 5000);
    expect((await backend.getLead(7)).links[0]?.issue?.identifier).toBe('ENG-42');
    expect((await backend.createIssue(7)).linkId).toBe('link-1');
    await backend.linkExisting(7, 'ENG-42');
    await backend.unlink(7, 'link 1');
    await backend.retry(7, 'link-1');
    expect(await backend.search('a&b')).toEqual([]);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET https://backend.test/api/widget/leads/7',
      'POST https://backend.test/api/widget/leads/7/issues',
      'POST https://backend.test/api/widget/leads/7/links',
      'DELETE https://backend.test/api/widget/leads/7/links/link%201',
      'POST https://backend.test/api/widget/leads/7/links/link-1/retry',
      'GET https://backend.test/api/widget/linear/search?q=a%26b',
    ]);
    expect(requests[2]?.body).toEqual({ issue: 'ENG-42' });
    expect(requests.every((r) => r.timeoutMs === 5000)).toBe(true);
  });

  it('keeps the deal deadline when the server sends one', async () => {
    const { transport } = transportAnswering(ok({ ...lead(), dealDeadline: '2026-03-15' }));
    expect((await createBackend(transport, base).getLead(7)).dealDeadline).toBe('2026-03-15');
  });

  it('maps 401 to unauthorized', async () => {
    const { transport } = transportAnswering({ status: 401, body: undefined, textStatus: 'error' });
    expect((await failure(createBackend(transport, base).getLead(7))).kind).toBe('unauthorized');
  });

  it('reads the ErrorBody of a 4xx/5xx', async () => {
    const body = { error: { code: 'issue_not_found', message: 'Issue ENG-404 not found' } };
    const { transport } = transportAnswering({ status: 404, body, textStatus: 'error' });
    const error = await failure(createBackend(transport, base).linkExisting(7, 'ENG-404'));
    expect([error.kind, error.status, error.code, error.message]).toEqual(['server', 404, 'issue_not_found', 'Issue ENG-404 not found']);
  });

  it('maps a 5xx without an ErrorBody, timeouts and network errors', async () => {
    const { transport } = transportAnswering(
      { status: 502, body: '<html>Bad gateway</html>', textStatus: 'error' },
      { status: 0, body: undefined, textStatus: 'timeout' },
      { status: 0, body: undefined, textStatus: 'error' },
    );
    const backend = createBackend(transport, base);
    expect((await failure(backend.getLead(7))).message).toBe('HTTP 502');
    expect((await failure(backend.getLead(7))).kind).toBe('timeout');
    expect((await failure(backend.getLead(7))).kind).toBe('network');
  });

  it('rejects an answer that does not match the shared schema', async () => {
    const { transport } = transportAnswering(ok({ leadId: 7, configured: 'yes', links: [] }));
    expect((await failure(createBackend(transport, base).getLead(7))).kind).toBe('invalid_response');
  });

  it('times out when the host never settles', async () => {
    const backend = createBackend(() => new Promise<HostResponse>(() => undefined), base, 10);
    expect((await failure(backend.getLead(7))).kind).toBe('timeout');
  });

  it('refuses to call without a server URL', async () => {
    const { requests, transport } = transportAnswering();
    expect((await failure(createBackend(transport, () => '').getLead(7))).kind).toBe('no_server');
    expect(requests).toEqual([]);
  });

  it('reads a lead conditionally: the last ETag goes back, a 304 returns that very answer', async () => {
    const first = lead({ links: [link()] });
    const { requests, transport } = transportAnswering(
      { ...ok(first), etag: 'W/"v1"' },
      { status: 304, body: undefined, textStatus: 'notmodified' },
      { ...ok(lead()), etag: 'W/"v2"' },
      { ...ok(first), etag: 'W/"v9"' },
    );
    const backend = createBackend(transport, base, 5000);
    const read = await backend.getLead(7);
    expect(await backend.getLead(7)).toBe(read);
    expect((await backend.getLead(7)).links).toEqual([]);
    await backend.getLead(8); // another deal: its own answer, not deal 7's ETag
    expect(requests.map((r) => r.headers)).toEqual([undefined, { 'If-None-Match': 'W/"v1"' }, { 'If-None-Match': 'W/"v1"' }, undefined]);
  });

  it('treats a 304 to an unconditional read as an error', async () => {
    const { transport } = transportAnswering({ status: 304, body: undefined, textStatus: 'notmodified' });
    expect((await failure(createBackend(transport, base, 5000).getLead(7))).kind).toBe('server');
  });
});
