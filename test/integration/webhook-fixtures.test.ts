/**
 * Every real-shaped webhook fixture (test/fixtures/{kommo,linear}/webhooks) replayed through the
 * real HTTP routes: each gets a 200 and the right job, or the right no-op; none a 4xx.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';
import { KOMMO_WEBHOOKS, LINEAR_WEBHOOKS, fixtureNames, kommoFixture, linearFixture } from '../helpers/webhook-fixtures';

/** Won jobs each Kommo fixture must queue (0: acknowledged, nothing to do). */
const KOMMO_EXPECTED: Record<string, 0 | 1> = {
  'add-won.form': 1,
  'contacts.form': 0,
  'delete.form': 0,
  'malformed-and-won.form': 1,
  'message.form': 0,
  'note.form': 0,
  'note-prefixed.form': 0,
  'several-sections.form': 1,
  'status-won.encoded.form': 1,
  'status-won.form': 1,
  'status-zero-empty-absent.form': 1,
  'subdomain-only-amocrm.form': 1,
  'subdomain-only.form': 1,
  'unknown-section.form': 0,
  'update.form': 0,
};

/** What each Linear fixture must queue: nothing, or a job with (`described`) or without the issue's data. */
const LINEAR_EXPECTED: Record<string, { queued: 0 } | { queued: 1; action: string; described: boolean }> = {
  'comment-create.json': { queued: 0 },
  'issue-create.json': { queued: 1, action: 'create', described: true },
  'issue-unknown-action.json': { queued: 0 },
  'issue-update-completed.json': { queued: 1, action: 'update', described: true },
  'issue-update-renamed-fields.json': { queued: 1, action: 'update', described: false },
  'issue-update-top-level-url.json': { queued: 1, action: 'update', described: true },
  'issue-update-without-identifier-url.json': { queued: 1, action: 'update', described: false },
  'issue-update-without-webhook-timestamp.json': { queued: 1, action: 'update', described: true },
  'oauth-app-revoked.json': { queued: 0 },
  'unknown-type.json': { queued: 0 },
  // Last: it marks the linked issue deleted.
  'issue-remove.json': { queued: 1, action: 'remove', described: true },
};

interface JobRow {
  payload: { leadId?: number; issueId?: string; action?: string; issue?: unknown };
}

describe('real-shaped webhook fixtures through the HTTP routes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    // The account (id and subdomain) is learned at start; subdomain-only deliveries are matched against it.
    await waitFor('the Kommo account to be learned', async () => (await stack.db.db('installations').first())?.kommo_subdomain);
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
  });

  const jobs = async (name: string) => ((await stack.db.db.raw(`select data from pgboss.job where name = ? order by created_on`, [name])) as { rows: { data: JobRow }[] }).rows.map((r) => r.data.payload);
  const kommoValues = (leadId: number, subdomain = stack.kommo.account.subdomain) => ({
    account_id: stack.kommo.account.accountId,
    subdomain,
    lead_id: leadId,
    pipeline_id: stack.kommo.defaults.pipelineId,
    status_id: stack.kommo.defaults.openStatusIds[0] ?? 1,
    user_id: stack.kommo.defaults.userId,
    now: Math.floor(Date.now() / 1000),
  });

  it('has an expectation for every fixture file', () => {
    expect(fixtureNames(KOMMO_WEBHOOKS, '.form')).toEqual(Object.keys(KOMMO_EXPECTED).sort());
    expect(fixtureNames(LINEAR_WEBHOOKS, '.json')).toEqual(Object.keys(LINEAR_EXPECTED).sort());
  });

  it.each(Object.entries(KOMMO_EXPECTED))('Kommo %s → %i Won job(s)', async (name, queued) => {
    const lead = stack.kommo.addLead({ name: `Fixture ${name}`, price: 10, statusId: stack.kommo.defaults.wonStatusId });
    const response = await stack.postKommo(kommoFixture(name, kommoValues(lead.id)));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, queued });
    expect((await jobs('kommo-deal-won')).filter((j) => j.leadId === lead.id)).toHaveLength(queued);
  });

  it('a delivery holding one malformed event and one won event creates the issue, and counts the skipped event', async () => {
    const lead = stack.kommo.addLead({ name: 'Malformed neighbour', price: 10, statusId: stack.kommo.defaults.wonStatusId });
    expect((await stack.postKommo(kommoFixture('malformed-and-won.form', kommoValues(lead.id)))).status).toBe(200);
    await waitFor('the issue', async () => stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first());
    expect(stack.linear.store.issues().some((i) => i.title.includes('Malformed neighbour'))).toBe(true);
    const metrics = await (await fetch(`${stack.server.url}/metrics`)).text();
    expect(metrics).toMatch(/lfk_webhook_events_skipped_total\{source="kommo",reason="malformed"\} [1-9]/);
    expect(stack.logs.some((l) => l.includes('events skipped') && l.includes('leads[status][0]'))).toBe(true);
  });

  it('still refuses a subdomain-only delivery of another account', async () => {
    const lead = stack.kommo.addLead({ name: 'Foreign subdomain', price: 10, statusId: stack.kommo.defaults.wonStatusId });
    const response = await stack.postKommo(kommoFixture('subdomain-only.form', kommoValues(lead.id, 'someone-else')));
    expect(response.status).toBe(403);
    expect((await jobs('kommo-deal-won')).filter((j) => j.leadId === lead.id)).toHaveLength(0);
  });

  it('replays each Linear fixture for a linked issue: the right job or the right no-op', async () => {
    const lead = stack.kommo.addLead({ name: 'Linear fixtures', price: 1, statusId: stack.kommo.defaults.wonStatusId });
    await stack.sendWon(lead.id);
    const link = await waitFor('the link', async () => stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first());
    const issueId = String(link.linear_issue_id);
    const issue = stack.linear.store.issue(issueId);
    if (!issue) throw new Error('the linked issue is not in the fake');
    await stack.idle();
    for (const [name, expected] of Object.entries(LINEAR_EXPECTED)) {
      const values = { issue_id: issueId, identifier: issue.identifier, title: issue.title, url: issue.url, updated_at: new Date().toISOString() };
      const { body, hasTimestamp } = linearFixture(name, values);
      const before = (await jobs('linear-issue-changed')).length;
      const fetchesBefore = stack.linear.requests.filter((r) => r.operationName === 'IssueById').length;
      const response = await fetch(`${stack.server.url}/webhooks/linear`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'linear-delivery': randomUUID(),
          'linear-signature': createHmac('sha256', stack.linearWebhookSecret).update(body).digest('hex'),
          ...(hasTimestamp ? {} : { 'linear-timestamp': String(Date.now()) }),
        },
        body,
      });
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
      expect(await response.json()).toMatchObject({ ok: true, queued: expected.queued });
      const queued = (await jobs('linear-issue-changed')).slice(before);
      expect({ name, queued: queued.length }).toEqual({ name, queued: expected.queued });
      await stack.idle();
      if (expected.queued === 0) continue;
      expect(queued[0]).toMatchObject({ issueId, action: expected.action });
      expect({ name, described: queued[0]?.issue !== undefined }).toEqual({ name, described: expected.described });
      // A payload without what we need is completed by one read of the issue from Linear.
      const fetches = stack.linear.requests.filter((r) => r.operationName === 'IssueById').length - fetchesBefore;
      expect({ name, fetches }).toEqual({ name, fetches: expected.described ? 0 : 1 });
    }
    const after = await stack.db.db('deal_links').where({ id: link.id }).first();
    expect(after.issue_deleted).toBe(true);
  });

  it('marks the deal\'s issue deleted from a bare remove event when Linear no longer has the issue', async () => {
    const lead = stack.kommo.addLead({ name: 'Deleted for good', price: 1, statusId: stack.kommo.defaults.wonStatusId });
    await stack.sendWon(lead.id);
    const link = await waitFor('the link', async () => stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first());
    await stack.idle();
    const issueId = String(link.linear_issue_id);
    // Gone from Linear before its (minimal) remove event arrives; the fake's own delivery is held back.
    stack.linear.pauseWebhooks();
    stack.linear.store.deleteIssue(issueId, { permanently: true, actorId: null });
    const body = JSON.stringify({ action: 'remove', type: 'Issue', webhookTimestamp: Date.now(), data: { id: issueId } });
    const response = await fetch(`${stack.server.url}/webhooks/linear`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'linear-delivery': randomUUID(), 'linear-signature': createHmac('sha256', stack.linearWebhookSecret).update(body).digest('hex') },
      body,
    });
    expect(await response.json()).toEqual({ ok: true, queued: 1 });
    await stack.idle();
    const after = await stack.db.db('deal_links').where({ id: link.id }).first();
    expect(after.issue_deleted).toBe(true);
    // The snapshot the link had is kept: there is nothing newer to take it from.
    expect(after.issue_identifier).toBe(link.issue_identifier);
    stack.linear.resumeWebhooks();
  });
});
