/**
 * Kommo webhook intake: bad deliveries get a clear 4xx and leave nothing behind; deliveries that
 * are not about a won deal are acknowledged without a job or an upstream call.
 */
import { startStack, type Stack } from '../helpers/stack';

describe('Kommo webhook intake', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { KOMMO_ACCOUNT_ID: '29999999' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  const jobCount = async () => Number((await stack.db.db.raw(`select count(*)::int as n from pgboss.job where name = 'kommo-deal-won'`)).rows[0].n);
  const won = (leadId: number, account = 29999999) =>
    `leads[status][0][id]=${leadId}&leads[status][0][status_id]=142&leads[status][0][pipeline_id]=${stack.kommo.defaults.pipelineId}&account[id]=${account}&account[subdomain]=acme`;

  async function expectRejected(response: Response, status: number, message: RegExp) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(message);
    expect(await jobCount()).toBe(0);
    expect(leadCalls()).toBe(kommoCallsBefore);
  }

  // Start-up reads the account and the lists in the background; only calls about a lead would come from a webhook.
  const leadCalls = () => stack.kommo.requests.filter((r) => /^\/api\/v4\/leads\/\d+/.test(r.path)).length;
  let kommoCallsBefore = 0;
  beforeEach(() => {
    kommoCallsBefore = leadCalls();
  });

  it('refuses a wrong secret with 401 and never logs the secret', async () => {
    const wrong = 'definitely-not-the-secret-1234';
    await expectRejected(await stack.postKommo(won(1), { secret: wrong }), 401, /Unknown webhook URL/);
    expect(stack.logs.join('\n')).not.toContain(wrong);
  });

  it('refuses another account with 403', async () => {
    await expectRejected(await stack.postKommo(won(1, 123)), 403, /Account 123 does not own this webhook URL/);
  });

  it('refuses a body without the account with 400 naming the field', async () => {
    await expectRejected(await stack.postKommo('leads[status][0][id]=1&leads[status][0][status_id]=142'), 400, /account/);
  });

  it('refuses wrongly typed ids with 400', async () => {
    await expectRejected(await stack.postKommo('account[id]=29999999&leads[status][0][id]=abc&leads[status][0][status_id]=142'), 400, /leads\[status\]\[0\]\[id\]/);
  });

  it('refuses JSON with 415', async () => {
    await expectRejected(await stack.postKommo('{"leads":{}}', { contentType: 'application/json' }), 415, /x-www-form-urlencoded/);
  });

  it('refuses bodies over 1 MB with 413', async () => {
    await expectRejected(await stack.postKommo(`account[id]=29999999&x=${'a'.repeat(1024 * 1024 + 10)}`), 413, /limit is 1048576 bytes|larger than/);
  });

  it('acknowledges deliveries that are not about a won deal without a job or an upstream call', async () => {
    const body = `leads[status][0][id]=5&leads[status][0][status_id]=${stack.kommo.defaults.openStatusIds[1]}&leads[status][0][pipeline_id]=${stack.kommo.defaults.pipelineId}&account[id]=29999999`;
    const response = await stack.postKommo(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, queued: 0 });
    expect(await jobCount()).toBe(0);
    expect(leadCalls()).toBe(kommoCallsBefore);
  });

  it('answers 405 to GET on the webhook URL and counts rejections in /metrics', async () => {
    const get = await fetch(stack.webhookUrl(), { method: 'GET' });
    expect(get.status).toBe(405);
    const metrics = await (await fetch(`${stack.server.url}/metrics`)).text();
    expect(metrics).toMatch(/lfk_webhooks_received_total\{source="kommo",outcome="rejected"\} [1-9]/);
    expect(metrics).toMatch(/lfk_webhooks_received_total\{source="kommo",outcome="ignored"\} [1-9]/);
  });

  it('reports health and readiness', async () => {
    expect((await fetch(`${stack.server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });
});
