/**
 * Widget tokens that live longer than Kommo's are refused, /metrics answers only its bearer token
 * when METRICS_TOKEN is set, and a flood of refused requests writes a bounded number of log lines.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { startStack, type Stack } from '../helpers/stack';

const METRICS_TOKEN = randomBytes(16).toString('hex');

describe('token lifetime, metrics access and sampled logs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const lead = (token: string) => fetch(`${stack.server.url}/api/widget/leads/1`, { headers: { 'x-auth-token': token } });

  it('refuses widget tokens that live longer than 31 minutes, or say nothing of when they were issued', async () => {
    expect((await lead(stack.widgetToken())).status).toBe(200);
    expect((await lead(stack.widgetToken({}, { lifetimeSeconds: 31 * 60 }))).status).toBe(200);
    const week = await lead(stack.widgetToken({}, { lifetimeSeconds: 7 * 24 * 3600 }));
    expect(week.status).toBe(401);
    expect(((await week.json()) as { error: { message: string } }).error.message).toMatch(/Kommo's one-time tokens live 30 minutes/);
    // A token without `iat` cannot show its lifetime.
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const valid = stack.widgetToken().split('.')[1] ?? '';
    const claims = JSON.parse(Buffer.from(valid, 'base64url').toString('utf8')) as Record<string, unknown>;
    delete claims.iat;
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const noIat = `${header}.${payload}.${createHmac('sha256', stack.client.secret).update(`${header}.${payload}`).digest('base64url')}`;
    expect((await lead(noIat)).status).toBe(401);
  });

  it('answers /metrics only to its bearer token', async () => {
    const metrics = (authorization?: string) => fetch(`${stack.server.url}/metrics`, authorization ? { headers: { authorization } } : {});
    expect((await metrics()).status).toBe(401);
    expect((await metrics(`Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
    expect((await metrics(`Basic ${METRICS_TOKEN}`)).status).toBe(401);
    const ok = await metrics(`Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('lfk_webhooks_received_total');
  });

  it('logs refused requests at a bounded rate, and says how many it left out', async () => {
    const before = stack.logs.length;
    const startedAt = Date.now();
    const REFUSALS = 1500;
    for (let batch = 0; batch < REFUSALS / 50; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          i % 2 === 0
            ? stack.postKommo('account[id]=1', { secret: randomBytes(12).toString('hex') }).then((r) => r.arrayBuffer())
            : lead('not-a-token').then((r) => r.arrayBuffer()),
        ),
      );
    }
    // What the flood's last second left out is told on the next refused line, so one more
    // comes after that second has closed; a fast machine fits the whole flood in one second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await lead('not-a-token').then((r) => r.arrayBuffer());
    const seconds = Math.ceil((Date.now() - startedAt) / 1000) + 1;
    const lines = stack.logs.slice(before).filter((l) => l.includes('"code":"unauthorized"'));
    // Ten lines per second per error code at most (the code is the same for both kinds here).
    expect(lines.length).toBeLessThanOrEqual(seconds * 10);
    expect(lines.length).toBeGreaterThan(0);
    const left = lines.map((l) => (JSON.parse(l) as { suppressedSinceLastLine?: number }).suppressedSinceLastLine ?? 0).reduce((a, b) => a + b, 0);
    // Whatever was left out before the last line is counted on a later one.
    expect(left + lines.length).toBeLessThanOrEqual(REFUSALS + 1);
    expect(left).toBeGreaterThan(0);
  });
});
