/**
 * Linear → Kommo: signed Issue webhooks from the fake Linear update the deal card's cache and
 * post one note per change; reconciliation recovers what webhooks missed; the Won poll creates
 * issues without any Kommo webhook.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createSecretBox } from '../../server/crypto/secret-box';
import { createInstallationsRepo } from '../../server/db/repos/installations';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('Linear → Kommo', () => {
  let stack: Stack;
  let human: { id: string; name: string };
  let installationId: string;

  // A server start plus its first background calls took over 30 s on a loaded two-core machine.
  beforeAll(async () => {
    stack = await startStack();
    const user = stack.linear.store.addUser({ name: 'Dana Dev', email: 'dana@example.com' });
    human = { id: user.id, name: user.name };
    installationId = stack.server.installation?.id ?? '';
    await waitFor('the Linear viewer to be known', async () => (await stack.db.db('installations').first())?.linear_viewer_id);
  }, 90_000);
  afterAll(async () => {
    await stack.close();
  });

  async function linkedDeal(name: string) {
    const lead = stack.kommo.addLead({ name, price: 1, statusId: stack.kommo.defaults.wonStatusId });
    await stack.sendWon(lead.id);
    await waitFor('the created note', () => stack.kommo.notes(lead.id)[0]);
    const link = await waitFor('the link', async () => stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first());
    return { leadId: lead.id, issueId: String(link.linear_issue_id) };
  }
  /** A signed update delivery of the issue as it is now, made by `actorId` (the fake's builder signs as our bot). */
  function deliveryBy(actorId: string, issueId: string) {
    const built = JSON.parse(stack.linear.buildIssueWebhook(issueId, 'update', {}).rawBody) as Record<string, unknown>;
    const rawBody = JSON.stringify({ ...built, actor: { id: actorId, type: 'user', name: 'Dana Dev' } });
    const signature = createHmac('sha256', stack.linearWebhookSecret).update(rawBody).digest('hex');
    return { rawBody, headers: { 'content-type': 'application/json; charset=utf-8', 'linear-delivery': randomUUID(), 'linear-signature': signature } };
  }
  const noteTexts = (leadId: number) => stack.kommo.notes(leadId).map((n) => String(n.params.text)).slice(1);
  const stateOf = (issueId: string, type: string, name?: string) =>
    stack.linear.store.teamStates(stack.linear.store.issue(issueId)?.teamId ?? '').find((s) => s.type === type && (!name || s.name === name));

  it('notes a completion once, with a renamed completed state, even when delivered three times', async () => {
    const { leadId, issueId } = await linkedDeal('Completion');
    const done = stateOf(issueId, 'completed');
    if (!done) throw new Error('no completed state');
    done.name = 'Shipped';
    stack.linear.store.updateIssue(issueId, { assigneeId: human.id }, human.id);
    stack.linear.store.updateIssue(issueId, { stateId: done.id }, human.id);
    await waitFor('the completion note', () => noteTexts(leadId).some((t) => t.includes('closed in Linear')));
    const identifier = stack.linear.store.issue(issueId)?.identifier;
    // Replays: the same signed delivery again, and the same change under a new delivery id.
    const replay = deliveryBy(human.id, issueId);
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(`${stack.server.url}/webhooks/linear`, { method: 'POST', headers: replay.headers, body: replay.rawBody });
      expect(answer.status).toBe(200);
    }
    await stack.idle();
    expect(noteTexts(leadId)).toEqual([`Task ${identifier} assigned to Dana Dev.`, `Task ${identifier} closed in Linear. Assignee: Dana Dev.`]);
    const row = await stack.db.db('deal_links').where({ lead_id: leadId }).first();
    expect(row.issue_state).toMatchObject({ name: 'Shipped', type: 'completed' });
  });

  it('notes cancellation, duplicates, unassignment, a move to another team and deletion', async () => {
    const canceled = await linkedDeal('Canceled');
    stack.linear.store.updateIssue(canceled.issueId, { stateId: stateOf(canceled.issueId, 'canceled', 'Canceled')?.id }, human.id);
    const duplicate = await linkedDeal('Duplicate');
    stack.linear.store.updateIssue(duplicate.issueId, { stateId: stateOf(duplicate.issueId, 'canceled', 'Duplicate')?.id }, human.id);
    await waitFor('the cancel note', () => noteTexts(canceled.leadId).some((t) => /canceled in Linear\.$/.test(t)));
    await waitFor('the duplicate note', () => noteTexts(duplicate.leadId).some((t) => t.includes('as a duplicate')));

    const moved = await linkedDeal('Moved');
    stack.linear.store.updateIssue(moved.issueId, { assigneeId: human.id }, human.id);
    await waitFor('the assignment note', () => noteTexts(moved.leadId).length > 0);
    stack.linear.store.updateIssue(moved.issueId, { assigneeId: null }, human.id);
    const ops = stack.linear.store.addTeam({ key: 'OPS', name: 'Operations' });
    const before = stack.linear.store.issue(moved.issueId)?.identifier;
    stack.linear.store.updateIssue(moved.issueId, { teamId: ops.id }, human.id);
    const after = stack.linear.store.issue(moved.issueId)?.identifier;
    await waitFor('the move note', () => noteTexts(moved.leadId).some((t) => t === `Task ${before} moved in Linear; it is now ${after}.`));
    await waitFor('the field to follow', () => stack.kommo.fieldValue(moved.leadId, 'Linear issue') === after);
    // The unassignment and the move may be handled as one change (the newer delivery first, the older one then
    // ignored), so the unassignment note may name either identifier; it must be there exactly once.
    const unassigned = (t: string) => t === `Task ${before} unassigned.` || t === `Task ${after} unassigned.`;
    await waitFor('the unassignment note', () => noteTexts(moved.leadId).some(unassigned));
    await stack.idle();
    expect(noteTexts(moved.leadId).filter(unassigned)).toHaveLength(1);

    const deleted = await linkedDeal('Deleted');
    stack.linear.store.deleteIssue(deleted.issueId, { actorId: human.id });
    await waitFor('the deletion note', () => noteTexts(deleted.leadId).some((t) => t.includes('was deleted in Linear')));
    const row = await stack.db.db('deal_links').where({ lead_id: deleted.leadId }).first();
    expect(row.issue_deleted).toBe(true);
  });

  it('ignores an older delivery that arrives after a newer one', async () => {
    const { leadId, issueId } = await linkedDeal('Out of order');
    stack.linear.pauseWebhooks();
    stack.linear.store.updateIssue(issueId, { stateId: stateOf(issueId, 'started')?.id }, human.id);
    const older = deliveryBy(human.id, issueId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    stack.linear.store.updateIssue(issueId, { stateId: stateOf(issueId, 'completed')?.id }, human.id);
    const newer = deliveryBy(human.id, issueId);
    stack.linear.resumeWebhooks();
    const post = (w: { headers: Record<string, string>; rawBody: string }) =>
      fetch(`${stack.server.url}/webhooks/linear`, { method: 'POST', headers: w.headers, body: w.rawBody });
    expect((await post(newer)).status).toBe(200);
    await waitFor('the completion', () => noteTexts(leadId).some((t) => t.includes('closed in Linear')));
    expect((await post(older)).status).toBe(200);
    await stack.idle();
    const row = await stack.db.db('deal_links').where({ lead_id: leadId }).first();
    expect(row.issue_state.type).toBe('completed');
    expect(noteTexts(leadId)).toHaveLength(1);
  });

  it('posts nothing about changes made by our own integration user', async () => {
    const { leadId, issueId } = await linkedDeal('Our own change');
    stack.linear.store.updateIssue(issueId, { stateId: stateOf(issueId, 'completed')?.id }, stack.linear.store.viewerId);
    await waitFor('the cache to follow', async () => (await stack.db.db('deal_links').where({ lead_id: leadId }).first()).issue_state.type === 'completed');
    await stack.idle();
    expect(noteTexts(leadId)).toHaveLength(0);
  });

  it('rejects unverifiable, stale and malformed deliveries and queues nothing', async () => {
    const { issueId } = await linkedDeal('Rejections');
    const url = `${stack.server.url}/webhooks/linear`;
    const built = stack.linear.buildIssueWebhook(issueId, 'update', {});
    const good = { rawBody: built.rawBody, headers: Object.fromEntries(Object.entries(built.headers).map(([k, v]) => [k.toLowerCase(), v])) };
    const jobs = async () => Number((await stack.db.db.raw(`select count(*)::int as n from pgboss.job where name = 'linear-issue-changed'`)).rows[0].n);
    const before = await jobs();
    const send = (body: string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers, body });
    const reserialised = JSON.stringify(JSON.parse(good.rawBody), null, 1);
    expect((await send(reserialised, good.headers)).status).toBe(401);
    expect((await send(good.rawBody, { ...good.headers, 'linear-signature': '00'.repeat(32) })).status).toBe(401);
    const { ['linear-signature']: _dropped, ...unsigned } = good.headers;
    const missing = await send(good.rawBody, unsigned);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/Missing Linear-Signature/);
    const sign = createHmac;
    for (const skew of [-5 * 60_000, 5 * 60_000]) {
      const body = JSON.stringify({ ...JSON.parse(good.rawBody), webhookTimestamp: Date.now() + skew });
      const signature = sign('sha256', stack.linearWebhookSecret).update(body).digest('hex');
      const answer = await send(body, { ...good.headers, 'linear-signature': signature });
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/webhookTimestamp/);
    }
    const notJson = 'not json';
    expect((await send(notJson, { ...good.headers, 'linear-signature': sign('sha256', stack.linearWebhookSecret).update(notJson).digest('hex') })).status).toBe(400);
    expect((await send('x'.repeat(1024 * 1024 + 1), good.headers)).status).toBe(413);
    expect(await jobs()).toBe(before);
    // The good one is accepted once; its replay is acknowledged and dropped.
    expect((await send(good.rawBody, good.headers)).status).toBe(200);
    const replay = await send(good.rawBody, good.headers);
    expect(await replay.json()).toMatchObject({ duplicate: true });
    expect(await jobs()).toBe(before + 1);
  });

  it('checks a signature that does not match the cached secret against the stored one', async () => {
    const { leadId, issueId } = await linkedDeal('Rotated secret');
    const repo = createInstallationsRepo(createSecretBox(stack.config.encryptionKey ?? ''));
    const url = `${stack.server.url}/webhooks/linear`;
    const post = (secret: string) => {
      const signed = stack.linear.buildIssueWebhook(issueId, 'update', {}, { secret });
      return fetch(url, { method: 'POST', headers: signed.headers, body: signed.rawBody });
    };
    const original = stack.linearWebhookSecret;
    expect((await post(original)).status).toBe(200); // the installation is now cached with this secret
    const rotated = randomBytes(24).toString('hex');
    await repo.setLinearWebhook(stack.db.db, installationId, 'rotated-webhook', rotated);
    try {
      expect((await post(rotated)).status).toBe(200);
      expect((await post(randomBytes(24).toString('hex'))).status).toBe(401);
    } finally {
      await repo.setLinearWebhook(stack.db.db, installationId, 'restored-webhook', original);
    }
    expect((await post(original)).status).toBe(200);
    expect(noteTexts(leadId)).toEqual([]);
  });

  it('reconciliation posts each note missed during a webhook outage exactly once', async () => {
    const first = await linkedDeal('Missed completion');
    const second = await linkedDeal('Missed reassignment');
    stack.linear.pauseWebhooks();
    stack.linear.store.updateIssue(first.issueId, { stateId: stateOf(first.issueId, 'completed')?.id }, human.id);
    stack.linear.store.updateIssue(second.issueId, { assigneeId: human.id }, human.id);
    await stack.idle();
    expect(noteTexts(first.leadId)).toHaveLength(0);
    stack.linear.resumeWebhooks();
    stack.linear.pauseWebhooks();
    await stack.runJob('linear-reconcile', installationId);
    await waitFor('the missed completion note', () => noteTexts(first.leadId).length === 1);
    await waitFor('the missed assignment note', () => noteTexts(second.leadId).length === 1);
    await stack.runJob('linear-reconcile', installationId);
    await stack.idle();
    stack.linear.resumeWebhooks();
    expect(noteTexts(first.leadId)).toHaveLength(1);
    expect(noteTexts(second.leadId)).toEqual([expect.stringContaining('assigned to Dana Dev')]);
    const row = await stack.db.db('deal_links').where({ lead_id: first.leadId }).first();
    expect(row.issue_state.type).toBe('completed');
  });

  it('a change made right after creation waits for the Won job to finish, not for a retry', async () => {
    const from = stack.logs.length;
    const lead = stack.kommo.addLead({ name: 'Changed right after creation', price: 3, statusId: stack.kommo.defaults.wonStatusId });
    // Slow write-backs keep the Won job's lease held while the change is delivered.
    stack.kommo.setDelay(400);
    try {
      await stack.sendWon(lead.id);
      const issue = await waitFor('the issue', () => stack.linear.store.issues().find((i) => i.title === 'Changed right after creation'), 10_000);
      stack.linear.store.updateIssue(issue.id, { assigneeId: human.id }, human.id);
      await waitFor('the assignment note', () => noteTexts(lead.id).some((t) => t.includes('assigned to Dana Dev')));
    } finally {
      stack.kommo.setDelay(0);
    }
    await stack.idle();
    const retried = stack.logs.slice(from).filter((l) => l.includes('Another worker is updating the deal'));
    expect(retried).toEqual([]);
    expect(noteTexts(lead.id).filter((t) => t.includes('assigned to Dana Dev'))).toHaveLength(1);
  });

  it('a change the deal is told nothing about reaches the card at once, while another run holds the deal', async () => {
    const { leadId, issueId } = await linkedDeal('Renamed while held');
    const notesBefore = noteTexts(leadId).length;
    // Another run (a Won job's write-backs, say) holds the link's lease for a minute.
    await stack.db.db('deal_links').where({ lead_id: leadId }).update({ lease_owner: 'another-run', lease_until: stack.db.db.raw(`now() + interval '60 seconds'`) });
    try {
      stack.linear.store.updateIssue(issueId, { title: 'Renamed while held, v2' }, human.id);
      // Well inside the 15 s a run waits for a held lease before it is retried.
      await waitFor('the card cache to follow', async () => (await stack.db.db('deal_links').where({ lead_id: leadId }).first()).issue_title === 'Renamed while held, v2', 5000);
    } finally {
      await stack.db.db('deal_links').where({ lead_id: leadId }).update({ lease_owner: null, lease_until: null });
    }
    await stack.idle();
    expect(noteTexts(leadId)).toHaveLength(notesBefore);
  });

  it('the Won poll creates the issue for a deal won without any webhook, and only once', async () => {
    const lead = stack.kommo.addLead({ name: 'Won without webhook', price: 9, statusId: stack.kommo.defaults.openStatusIds[0] ?? 1 });
    stack.kommo.setLeadStatus(lead.id, stack.kommo.defaults.wonStatusId);
    await stack.runJob('kommo-won-poll', installationId);
    await waitFor('the polled deal note', () => stack.kommo.notes(lead.id)[0]);
    await stack.runJob('kommo-won-poll', installationId);
    await stack.idle();
    expect(stack.linear.store.issues().filter((i) => i.title === 'Won without webhook')).toHaveLength(1);
    expect(stack.kommo.notes(lead.id)).toHaveLength(1);
  });
});
