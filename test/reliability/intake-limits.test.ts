/**
 * Cheap ways to make the intake work hard, refused: one Kommo delivery cannot queue thousands of
 * jobs (events per delivery are capped, repeated leads deduped), and a captured Linear delivery
 * replayed with a fresh, unsigned `Linear-Delivery` or `Linear-Timestamp` header queues nothing.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { MAX_LEADS_PER_DELIVERY } from '../../server/kommo/webhook';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('intake limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const jobCount = async (name: string) => Number((await stack.db.db.raw(`select count(*)::int as n from pgboss.job where name = ?`, [name])).rows[0].n);

  it('drops a replayed Linear delivery whatever its unsigned headers say', async () => {
    const lead = stack.kommo.addLead({ name: 'Replay target', price: 1, statusId: stack.kommo.defaults.wonStatusId });
    await stack.sendWon(lead.id);
    const link = await waitFor('the link', async () => stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first());
    await stack.idle();
    const issueId = String(link.linear_issue_id);
    const signed = JSON.parse(stack.linear.buildIssueWebhook(issueId, 'update', {}).rawBody) as Record<string, unknown>;
    const { webhookTimestamp: _dropped, ...withoutTimestamp } = signed;
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${stack.server.url}/webhooks/linear`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'linear-signature': createHmac('sha256', stack.linearWebhookSecret).update(body).digest('hex'), ...headers },
        body,
      });
    for (const body of [JSON.stringify(signed), JSON.stringify(withoutTimestamp)]) {
      const before = await jobCount('linear-issue-changed');
      const answers = [];
      // The original, then replays each with a fresh delivery id (and a fresh timestamp header).
      for (let i = 0; i < 3; i++) answers.push(await (await post(body, { 'linear-delivery': randomUUID(), 'linear-timestamp': String(Date.now()) })).json());
      expect(answers).toEqual([
        { ok: true, queued: 1 },
        { ok: true, queued: 0, duplicate: true },
        { ok: true, queued: 0, duplicate: true },
      ]);
      expect(await jobCount('linear-issue-changed')).toBe(before + 1);
    }
    await stack.idle();
  });

  it(`queues at most ${MAX_LEADS_PER_DELIVERY} won deals from one delivery, each lead once`, async () => {
    const events = 2000;
    const pipelineId = stack.kommo.defaults.pipelineId;
    // Every lead named twice (as a real delivery does with update + status), over the cap many times.
    const pairs = Array.from({ length: events }, (_, i) => {
      const leadId = 900_000 + (i % (events / 2));
      return `leads[status][${i}][id]=${leadId}&leads[status][${i}][status_id]=142&leads[status][${i}][pipeline_id]=${pipelineId}`;
    });
    const body = `${pairs.join('&')}&account[id]=${stack.kommo.account.accountId}&account[subdomain]=${stack.kommo.account.subdomain}`;
    // Leads queued, not job rows: a failing job's retry is a row of its own.
    const leadsQueued = async () =>
      Number((await stack.db.db.raw(`select count(distinct data->'payload'->>'leadId')::int as n from pgboss.job where name = 'kommo-deal-won' and (data->'payload'->>'leadId')::bigint between 900000 and 900999`)).rows[0].n);
    const response = await stack.postKommo(body);
    expect(response.status).toBe(200);
    // Dropped: every event of a lead beyond the cap; the repeats of the first leads are deduped.
    const overCap = events - 2 * MAX_LEADS_PER_DELIVERY;
    expect(await response.json()).toEqual({ ok: true, queued: MAX_LEADS_PER_DELIVERY, overCap });
    expect(await leadsQueued()).toBe(MAX_LEADS_PER_DELIVERY);
    const metrics = await (await fetch(`${stack.server.url}/metrics`)).text();
    expect(metrics).toContain(`lfk_webhook_events_skipped_total{source="kommo",reason="over_cap"} ${overCap}`);
  });
});
