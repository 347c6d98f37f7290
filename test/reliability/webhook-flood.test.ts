/**
 * A flood of Kommo webhooks with random URL secrets, 200 connections at once: no secret costs a
 * database lookup, /healthz and /readyz on HEALTH_PORT answer throughout, and the real
 * installation's deliveries still get through.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { startStack, type Stack } from '../helpers/stack';

const CONNECTIONS = 200;
const REQUESTS = 6000;
/** A probe that takes longer than this counts as not answered (orchestrators use 1–10 s). */
const PROBE_TIMEOUT_MS = 2000;

function post(agent: Agent, base: string, path: string, body: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

describe('a flood of random webhook secrets', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { HEALTH_PORT: '0' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('costs no database lookup and leaves the probes and the real installation answering', async () => {
    expect(stack.server.healthUrl).not.toBe(stack.server.url);
    const lead = stack.kommo.addLead({ name: 'During the flood', price: 1, statusId: stack.kommo.defaults.wonStatusId });
    const lookups: string[] = [];
    const onQuery = (q: { sql: string }) => {
      if (q.sql.includes('"installations"')) lookups.push(q.sql);
    };
    stack.db.db.on('query', onQuery);
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const statuses = new Map<number, number>();
    let sent = 0;
    let flooding = true;
    const probes: Array<{ path: string; ok: boolean }> = [];
    const prober = (async () => {
      while (flooding) {
        for (const path of ['/healthz', '/readyz']) {
          const ok = await fetch(`${stack.server.healthUrl}${path}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then((r) => r.ok, () => false);
          probes.push({ path, ok });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (sent < REQUESTS) {
            sent++;
            const status = await post(agent, stack.server.url, `/webhooks/kommo/${randomBytes(18).toString('base64url')}`, 'account[id]=1');
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
        }),
      );
      stack.db.db.removeListener('query', onQuery);
      expect((await stack.sendWon(lead.id)).status).toBe(200);
    } finally {
      flooding = false;
      await prober;
      agent.destroy();
      stack.db.db.removeListener('query', onQuery);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: REQUESTS });
    // Not one lookup by secret; the index of known secrets is re-read at most once per 5 s.
    expect(lookups.filter((sql) => sql.includes('kommo_webhook_secret_hash" ='))).toEqual([]);
    expect(lookups.length).toBeLessThan(REQUESTS / 100);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.filter((p) => !p.ok)).toEqual([]);
  });
});
