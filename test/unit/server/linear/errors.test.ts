import { randomUUID } from 'node:crypto';
import { AuthenticationLinearError, ForbiddenLinearError, InvalidInputLinearError, RatelimitedLinearError, parseLinearError } from '@linear/sdk';
import { AppError } from '../../../../server/errors';
import { createLinearApi, type LinearApi } from '../../../../server/linear/client';
import { fixedApiKey } from '../../../../server/linear/tokens';
import { isAlreadyExists, toLinearAppError } from '../../../../server/linear/errors';
import { loadLinearSdk } from '../../../../server/linear/sdk';
import { DEFAULT_API_KEY, startFakeLinear, type FakeLinear } from '../../../fakes/linear';
import { runInPlainNode } from '../../support/plain-node';

/** A Linear error as the SDK builds it from an HTTP answer. */
function sdkError(status: number, type: string, message: string, headers: Record<string, string> = {}) {
  return parseLinearError({
    message,
    // The SDK types `extensions.type` as its enum ("Ratelimited"), but parses the API's strings ("ratelimited").
    response: { status, headers: new Headers(headers), errors: [{ message, extensions: { type } }] } as never,
  });
}

describe('toLinearAppError with SDK errors', () => {
  // The server loads the SDK at its first Linear call (server/linear/sdk.ts); these errors come from it.
  beforeAll(() => loadLinearSdk());

  it('derives retryAfterMs from the requests reset header (epoch ms)', () => {
    const error = sdkError(400, 'ratelimited', 'Rate limit exceeded', { 'x-ratelimit-requests-reset': String(Date.now() + 30_000) });
    expect(error).toBeInstanceOf(RatelimitedLinearError);
    const app = toLinearAppError(error, 'issueCreate', 1000);
    expect(app.code).toBe('linear_rate_limited');
    expect(app.retryable).toBe(true);
    expect(app.retryAfterMs).toBeGreaterThan(29_000);
    expect(app.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(app.message).toMatch(/retrying in (29|30) s/);
  });

  it('takes the later of the requests and complexity resets, at least 1 s and at most 1 h', () => {
    const later = sdkError(400, 'ratelimited', 'x', {
      'x-ratelimit-requests-reset': String(Date.now() + 5_000),
      'x-ratelimit-complexity-reset': String(Date.now() + 20_000),
    });
    expect(toLinearAppError(later, 'op', 1).retryAfterMs).toBeGreaterThan(19_000);
    expect(toLinearAppError(sdkError(429, 'ratelimited', 'x'), 'op', 1).retryAfterMs).toBe(1000);
    const far = sdkError(400, 'ratelimited', 'x', { 'x-ratelimit-requests-reset': String(Date.now() + 5 * 3600_000) });
    expect(toLinearAppError(far, 'op', 1).retryAfterMs).toBe(3600_000);
    expect(toLinearAppError(sdkError(400, 'ratelimited', 'x', { 'retry-after': '7' }), 'op', 1).retryAfterMs).toBe(7000);
  });

  it('maps invalid input, not found, authentication, forbidden and 5xx', () => {
    const invalid = sdkError(400, 'invalid input', 'title is too long');
    expect(invalid).toBeInstanceOf(InvalidInputLinearError);
    expect(toLinearAppError(invalid, 'issueCreate', 1)).toMatchObject({ code: 'linear_invalid_input', retryable: false });
    expect(toLinearAppError(invalid, 'issueCreate', 1).message).toBe('Linear rejected issueCreate: title is too long');
    expect(toLinearAppError(sdkError(400, 'invalid input', 'Entity not found: Issue'), 'issue', 1).code).toBe('linear_not_found');
    const auth = sdkError(401, 'authentication error', 'Authentication required');
    expect(auth).toBeInstanceOf(AuthenticationLinearError);
    expect(toLinearAppError(auth, 'viewer', 1).code).toBe('linear_unauthorized');
    const forbidden = sdkError(403, 'forbidden', 'no access');
    expect(forbidden).toBeInstanceOf(ForbiddenLinearError);
    expect(toLinearAppError(forbidden, 'teams', 1).code).toBe('linear_forbidden');
    expect(toLinearAppError(sdkError(400, 'graphql error', 'Cannot query field'), 'teams', 1).code).toBe('linear_invalid_input');
    const internal = toLinearAppError(sdkError(500, 'internal error', 'boom'), 'teams', 1);
    expect(internal).toMatchObject({ code: 'linear_unavailable', retryable: true, message: 'Linear failed on teams (HTTP 500)' });
  });

  it('maps anything else to linear_unavailable', () => {
    expect(toLinearAppError(new TypeError('fetch failed'), 'teams', 1)).toMatchObject({
      code: 'linear_unavailable',
      message: 'Linear could not be reached (teams)',
    });
    const timeout = Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    expect(toLinearAppError(timeout, 'teams', 250).message).toBe('Linear did not answer teams within 250 ms');
  });

  it('isAlreadyExists recognises only invalid input about an existing entity', () => {
    expect(isAlreadyExists(new AppError('linear_invalid_input', 'Linear rejected issueCreate: Entity Issue with id x already exists.'))).toBe(true);
    expect(isAlreadyExists(new AppError('linear_invalid_input', 'Linear rejected issueCreate: conflict on insert'))).toBe(true);
    expect(isAlreadyExists(new AppError('linear_invalid_input', 'Linear rejected issueCreate: title missing'))).toBe(false);
    expect(isAlreadyExists(new AppError('linear_unavailable', 'already exists'))).toBe(false);
  });
});

describe('createLinearApi against the fake Linear', () => {
  let fake: FakeLinear;
  let api: LinearApi;
  beforeAll(async () => {
    fake = await startFakeLinear();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    api = createLinearApi({ apiUrl: fake.url, token: fixedApiKey(DEFAULT_API_KEY), timeoutMs: 2000 });
  });

  async function failure(promise: Promise<unknown>): Promise<AppError> {
    const error: unknown = await promise.then(
      () => new Error('the call succeeded'),
      (e: unknown) => e,
    );
    if (error instanceof AppError) return error;
    throw error;
  }

  const teamId = () => fake.store.teams()[0]?.id ?? '';

  it('creates an issue, and the same id again is "already exists"', async () => {
    const id = randomUUID();
    const input = { id, teamId: teamId(), title: 'Deal', description: 'd', priority: 2 };
    const issue = await api.createIssue(input);
    expect(issue).toMatchObject({ id, title: 'Deal', identifier: 'ENG-1', team: { key: 'ENG' } });
    const error = await failure(api.createIssue(input));
    expect(error.code).toBe('linear_invalid_input');
    expect(isAlreadyExists(error)).toBe(true);
    expect(fake.store.issues()).toHaveLength(1);
    expect((await api.issue(id))?.identifier).toBe('ENG-1');
    expect((await api.issue('ENG-1'))?.id).toBe(id);
  });

  it('issue() returns undefined for an unknown id', async () => {
    expect(await api.issue(randomUUID())).toBeUndefined();
    expect(await api.issue('ENG-999')).toBeUndefined();
  });

  it('maps an injected rate limit to linear_rate_limited with a delay from the reset header', async () => {
    fake.inject({ operation: 'teams', kind: 'ratelimited' });
    const error = await failure(api.teams());
    expect(error).toMatchObject({ code: 'linear_rate_limited', retryable: true });
    // The fake sets x-ratelimit-requests-reset to one second ahead; less than that is raised to 1 s.
    expect(error.retryAfterMs).toBe(1000);
    expect(await api.teams()).toHaveLength(1);
  });

  it.each(['http500', 'network-drop'] as const)('maps %s to a retryable linear_unavailable', async (kind) => {
    fake.inject({ kind });
    expect(await failure(api.viewer())).toMatchObject({ code: 'linear_unavailable', retryable: true });
  });

  it('maps a timeout to linear_unavailable', async () => {
    api = createLinearApi({ apiUrl: fake.url, token: fixedApiKey(DEFAULT_API_KEY), timeoutMs: 200 });
    fake.inject({ kind: 'timeout' });
    const started = performance.now();
    expect(await failure(api.teams())).toMatchObject({ code: 'linear_unavailable', retryable: true });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('maps a wrong key to linear_unauthorized', async () => {
    const wrong = createLinearApi({ apiUrl: fake.url, token: fixedApiKey('lin_api_wrong'), timeoutMs: 2000 });
    expect(await failure(wrong.viewer())).toMatchObject({ code: 'linear_unauthorized', retryable: false });
  });

  it('refuses to call without a key', async () => {
    const none = createLinearApi({ apiUrl: fake.url, token: fixedApiKey(''), timeoutMs: 2000 });
    expect(await failure(none.teams())).toMatchObject({ code: 'not_configured' });
    expect(fake.requests).toHaveLength(0);
  });

  it('maps input Linear refuses to linear_invalid_input, with its message', async () => {
    const error = await failure(api.createIssue({ id: randomUUID(), teamId: teamId(), title: 'x', description: 'd', priority: 9 }));
    expect(error).toMatchObject({ code: 'linear_invalid_input', retryable: false });
    expect(error.message).toContain('Priority must be between 0 and 4.');
    expect(isAlreadyExists(error)).toBe(false);
  });

  it('maps a reference to a missing team to linear_not_found', async () => {
    const error = await failure(api.createIssue({ id: randomUUID(), teamId: randomUUID(), title: 'x', description: 'd', priority: 2 }));
    expect(error).toMatchObject({ code: 'linear_not_found', retryable: false });
  });

  it('reports each call to onCall', async () => {
    const calls: Array<{ operation: string; ok: boolean }> = [];
    api = createLinearApi({ apiUrl: fake.url, token: fixedApiKey(DEFAULT_API_KEY), timeoutMs: 2000, onCall: ({ operation, ok }) => calls.push({ operation, ok }) });
    fake.inject({ operation: 'teams', kind: 'http500' });
    await failure(api.teams());
    await api.teams();
    expect(calls).toEqual([
      { operation: 'teams', ok: false },
      { operation: 'teams', ok: true },
    ]);
  });
});

describe('createLinearApi timeout message', () => {
  it('names the timeout (checked in plain Node, where fetch errors are instanceof Error)', async () => {
    const out = await runInPlainNode(`
      const { createServer } = require('node:http');
      const { createLinearApi } = require('./server/linear/client');
      const { fixedApiKey } = require('./server/linear/tokens');
      const server = createServer(() => undefined).listen(0, '127.0.0.1', async () => {
        const api = createLinearApi({ apiUrl: 'http://127.0.0.1:' + server.address().port + '/graphql', token: fixedApiKey('k'), timeoutMs: 200 });
        try { await api.teams(); console.log('{}'); }
        catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }
        server.closeAllConnections();
        server.close();
      });`);
    expect(JSON.parse(out)).toEqual({ code: 'linear_unavailable', message: 'Linear did not answer teams within 200 ms' });
  });
});
