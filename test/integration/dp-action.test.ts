/**
 * The Digital Pipeline action end to end: Kommo posts the action's event to
 * `/webhooks/kommo/<secret>/dp`; the server checks the secret and the account, re-reads the deal
 * and makes one issue per (deal, stage) with the action's settings over the rule's target.
 * Bodies come from test/fixtures/kommo/dp/. Runs on PostgreSQL when TEST_DATABASE_URL is set,
 * else on PGlite.
 */
import { issuesOf, noteFor, seedDeal } from '../helpers/deals';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';
import { kommoDpFixture } from '../helpers/webhook-fixtures';

describe('Digital Pipeline action', () => {
  let stack: Stack;
  let stage: number;

  beforeAll(async () => {
    stack = await startStack({
      // No rule fires on this stage: the action placed there by the admin is what creates the issue.
      settings: { pipelines: 'listed', rules: [] },
      beforeStart: ({ linear }) => {
        const ops = linear.store.addTeam({ key: 'OPS', name: 'Operations' });
        linear.store.addLabel({ name: 'Onboarding', teamId: ops.id });
      },
    });
    stage = stack.kommo.defaults.openStatusIds[1] ?? 0;
  });
  afterAll(async () => {
    await stack.close();
  });

  const values = (leadId: number, extra: Record<string, string | number> = {}) => ({
    lead_id: leadId,
    pipeline_id: stack.kommo.defaults.pipelineId,
    status_id: stage,
    account_id: stack.kommo.account.accountId,
    subdomain: stack.kommo.account.subdomain,
    team: 'OPS',
    now: Math.floor(Date.now() / 1000),
    ...extra,
  });

  it("creates one issue with the action's team, state, labels and priority; a replay creates nothing", async () => {
    const lead = seedDeal(stack, { statusId: stage });
    const body = kommoDpFixture('lead-status-changed.json', values(lead.id));
    const answer = await stack.postKommoDp(body);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true, queued: 1 });
    await waitFor('the issue', () => issuesOf(stack, lead.id).length === 1);
    await noteFor(stack, lead.id);

    const [issue] = issuesOf(stack, lead.id);
    const ops = stack.linear.store.findTeam('OPS');
    expect(issue?.teamId).toBe(ops?.id);
    expect(stack.linear.store.teamStates(ops?.id ?? '').find((s) => s.id === issue?.stateId)?.name).toBe('Todo');
    expect(issue?.priority).toBe(1);
    expect(issue?.labelIds).toHaveLength(1);

    await Promise.all([stack.postKommoDp(body), stack.postKommoDp(kommoDpFixture('lead-status-changed.form', values(lead.id)), { contentType: 'application/x-www-form-urlencoded' })]);
    await stack.idle();
    expect(issuesOf(stack, lead.id)).toHaveLength(1);
    expect(stack.kommo.notes(lead.id)).toHaveLength(1);
    const row = await stack.db.db('deal_links').where({ lead_id: lead.id }).first();
    expect(row.link_key).toBe(`dp:${stack.kommo.defaults.pipelineId}:${stage}`);
  });

  it('reads the form-encoded event too, and re-reads the deal: one no longer at the stage gets nothing', async () => {
    const lead = seedDeal(stack, { statusId: stage });
    const answer = await stack.postKommoDp(kommoDpFixture('lead-status-changed.form', values(lead.id)), { contentType: 'application/x-www-form-urlencoded' });
    expect(answer.status).toBe(200);
    await waitFor('the issue', () => issuesOf(stack, lead.id).length === 1);
    expect(issuesOf(stack, lead.id)[0]?.priority).toBe(3);

    const gone = seedDeal(stack, { statusId: stack.kommo.defaults.lostStatusId });
    expect((await stack.postKommoDp(kommoDpFixture('lead-appeared-in-status.json', values(gone.id)))).status).toBe(200);
    await stack.idle();
    expect(issuesOf(stack, gone.id)).toHaveLength(0);
  });

  it('acknowledges an event about something other than a deal without queueing it', async () => {
    const answer = await stack.postKommoDp(kommoDpFixture('customer-event.json', values(999_999)));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true, queued: 0 });
  });

  it('answers a bad body with 400 and a message, a wrong secret with 401, another account with 403', async () => {
    const lead = seedDeal(stack, { statusId: stage });
    const notJson = await stack.postKommoDp('{"event":');
    expect(notJson.status).toBe(400);
    expect(JSON.stringify(await notJson.json())).toContain('not JSON');

    const noLead = JSON.parse(kommoDpFixture('lead-status-changed.json', values(lead.id))) as { event: { data: Record<string, unknown> } };
    delete noLead.event.data.id;
    const missing = await stack.postKommoDp(JSON.stringify(noLead));
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toContain('event.data.id');

    const badPriority = await stack.postKommoDp(kommoDpFixture('lead-status-changed.json', values(lead.id)).replace('"priority":"1"', '"priority":"9"'));
    expect(badPriority.status).toBe(400);
    expect(JSON.stringify(await badPriority.json())).toContain('priority must be 0 (none) to 4 (low)');

    expect((await stack.postKommoDp(kommoDpFixture('lead-status-changed.json', values(lead.id)), { secret: 'wrong-secret' })).status).toBe(401);
    expect((await stack.postKommoDp(kommoDpFixture('lead-status-changed.json', values(lead.id, { account_id: 1 })))).status).toBe(403);
    await stack.idle();
    expect(issuesOf(stack, lead.id)).toHaveLength(0);
  });
});
