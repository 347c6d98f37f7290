/**
 * The Won flow under upstream faults: rate limits, 5xx, lost responses and timeouts must be
 * retried to exactly one issue, one back-link, one field value and one note.
 */
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('Won flow under faults', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  afterEach(() => {
    stack.kommo.clearFaults();
  });

  function wonLead(name: string) {
    return stack.kommo.addLead({ name, price: 100, statusId: stack.kommo.defaults.wonStatusId });
  }

  async function expectExactlyOnce(leadId: number) {
    const attachment = await waitFor('the back-link', () => stack.linear.store.attachments().find((a) => a.url.endsWith(`/leads/detail/${leadId}`)));
    const note = await waitFor('the note', () => stack.kommo.notes(leadId)[0]);
    const issue = stack.linear.store.issue(attachment.issueId);
    await waitFor('the field', () => stack.kommo.fieldValue(leadId, 'Linear issue') === issue?.identifier);
    await waitFor('the link to be linked', async () => (await stack.db.db('deal_links').where({ lead_id: leadId, status: 'linked' })).length === 1);
    expect(stack.linear.store.issues().filter((i) => i.title === issue?.title)).toHaveLength(1);
    expect(stack.linear.store.attachments().filter((a) => a.url.endsWith(`/leads/detail/${leadId}`))).toHaveLength(1);
    expect(stack.kommo.notes(leadId)).toHaveLength(1);
    expect(String(note.params.text)).toContain(issue?.identifier ?? '?');
  }

  it('retries after Kommo answers 429 (plain-text body) on the lead read', async () => {
    const lead = wonLead('Rate limited by Kommo');
    stack.kommo.inject({ method: 'GET', path: new RegExp(`^/api/v4/leads/${lead.id}$`), status: 429, body: 'Too Many Requests', contentType: 'text/plain', times: 2 });
    await stack.sendWon(lead.id);
    await expectExactlyOnce(lead.id);
    const reads = stack.kommo.requests.filter((r) => r.method === 'GET' && r.path === `/api/v4/leads/${lead.id}`);
    expect(reads.map((r) => r.status)).toEqual(expect.arrayContaining([429, 429, 200]));
  });

  it('reruns a job refused by 429s about a second later, without using up an attempt', async () => {
    const lead = wonLead('Rate limited past the in-request retries');
    const from = stack.logs.length;
    // One more 429 than the request layer retries: the job itself is rescheduled once.
    stack.kommo.inject({ method: 'GET', path: new RegExp(`^/api/v4/leads/${lead.id}$`), status: 429, times: 4 });
    await stack.sendWon(lead.id);
    await expectExactlyOnce(lead.id);
    const lines = stack.logs.slice(from).map((l) => JSON.parse(l) as { msg?: string; retryInMs?: number; attempt?: number });
    const reruns = lines.filter((l) => l.msg === 'job rate-limited; runs again shortly');
    expect(reruns).toHaveLength(1);
    expect(reruns[0]?.retryInMs).toBeGreaterThanOrEqual(1000);
    expect(reruns[0]?.retryInMs).toBeLessThanOrEqual(1500);
    expect(reruns[0]?.attempt).toBe(0);
    expect(lines.filter((l) => l.msg === 'job will be retried')).toEqual([]);
  });

  it('waits for Linear RATELIMITED and then creates the issue once', async () => {
    const lead = wonLead('Rate limited by Linear');
    stack.linear.inject({ operation: 'issueCreate', kind: 'ratelimited', times: 1 });
    await stack.sendWon(lead.id);
    await waitFor('the link to show the rate limit', async () => {
      const row = await stack.db.db('deal_links').where({ lead_id: lead.id }).first();
      return row?.status === 'retrying' && row.error_code === 'linear_rate_limited';
    });
    await expectExactlyOnce(lead.id);
  });

  it('reads the issue back when issueCreate succeeded but its response was lost', async () => {
    const lead = wonLead('Lost create response');
    stack.linear.inject({ operation: 'issueCreate', kind: 'http500-after-commit', times: 1 });
    await stack.sendWon(lead.id);
    await expectExactlyOnce(lead.id);
    const creates = stack.linear.requests.filter((r) => r.rootFields.includes('issueCreate'));
    expect(creates.length).toBeGreaterThanOrEqual(2);
  });

  it('does not post the note twice when the note was stored but the answer was a 500', async () => {
    const lead = wonLead('Lost note response');
    stack.kommo.inject({ method: 'POST', path: new RegExp(`^/api/v4/leads/${lead.id}/notes$`), kind: 'after-commit-500', times: 1 });
    await stack.sendWon(lead.id);
    await expectExactlyOnce(lead.id);
    expect(stack.kommo.requests.some((r) => r.method === 'GET' && r.path === `/api/v4/leads/${lead.id}/notes`)).toBe(true);
  });

  it('resumes the write-backs after Kommo timeouts without creating a second issue', async () => {
    const lead = wonLead('Kommo hangs on write-back');
    stack.kommo.inject({ method: 'PATCH', path: new RegExp(`^/api/v4/leads/${lead.id}$`), kind: 'timeout', times: 1 });
    stack.kommo.inject({ method: 'POST', path: new RegExp(`^/api/v4/leads/${lead.id}/notes$`), status: 503, times: 2 });
    await stack.sendWon(lead.id);
    await expectExactlyOnce(lead.id);
    expect(stack.linear.requests.filter((r) => r.rootFields.includes('issueCreate') && JSON.stringify(r.variables).includes('Kommo hangs'))).toHaveLength(1);
  });

  it('records a permanent failure with a reason and does not retry it blindly', async () => {
    const lead = wonLead('Refused lead read');
    // A 403 on this lead alone (the account itself answers): this deal's problem, not the account's.
    stack.kommo.inject({ method: 'GET', path: new RegExp(`^/api/v4/leads/${lead.id}$`), status: 403, times: 1 });
    await stack.sendWon(lead.id);
    const row = await waitFor('the failed link', async () => {
      const r = await stack.db.db('deal_links').where({ lead_id: lead.id }).first();
      return r?.status === 'failed' ? r : undefined;
    });
    expect(row.error_code).toBe('kommo_forbidden');
    expect(row.error_message).toMatch(/denied GET \/api\/v4\/leads/);
    await stack.idle();
    expect(stack.kommo.requests.filter((r) => r.path === `/api/v4/leads/${lead.id}`)).toHaveLength(1);
  });
});

/**
 * A run that outlasts its lease (here a slow Kommo; in production a backlog waiting for the rate
 * limit) keeps the deal: pg-boss reruns the job it presumes dead under the same job id, and that
 * rerun must neither take the lease over nor post the note a second time.
 */
describe('Won flow: a run slower than its lease', () => {
  let stack: Stack;
  const LEASE_SECONDS = 2;

  beforeAll(async () => {
    // Kommo answers within the HTTP timeout, only later than the lease.
    stack = await startStack({ jobTimeoutSeconds: LEASE_SECONDS, env: { HTTP_TIMEOUT_MS: '10000' } });
  }, 90_000);
  afterAll(async () => {
    await stack.close();
  });

  it('keeps the lease while it waits, so the deal gets one note', async () => {
    const lead = stack.kommo.addLead({ name: 'Slow note', price: 100, statusId: stack.kommo.defaults.wonStatusId });
    stack.kommo.inject({ method: 'POST', path: new RegExp(`^/api/v4/leads/${lead.id}/notes$`), kind: 'slow', ms: LEASE_SECONDS * 2500 });
    await stack.sendWon(lead.id);
    await waitFor('the link to be linked', async () => (await stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' })).length === 1, 30_000);
    // Time for a rerun that took the deal over to post its own note.
    await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 2000));
    if (stack.kommo.notes(lead.id).length !== 1) console.log(stack.logs.filter((l) => !l.includes('"level":20')).join('\n'));
    expect(stack.kommo.notes(lead.id)).toHaveLength(1);
    expect(stack.logs.some((l) => l.includes('Another worker'))).toBe(true);
  }, 60_000);
});
