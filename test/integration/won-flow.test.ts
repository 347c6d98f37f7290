/**
 * The Won → Linear issue flow end to end: real HTTP app, real queue and database, loopback fakes
 * of Kommo and Linear. Runs on PostgreSQL when TEST_DATABASE_URL is set, else on PGlite.
 */
import { issueFor as issueOf, noteFor as noteOf, seedDeal as seedDealIn, type DealOptions } from '../helpers/deals';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('Won deal → Linear issue', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      settings: { priorityTags: [{ tag: 'Enterprise', priority: 1 }] },
      // Linear's users are loaded at start: the manager's Linear account exists by then.
      beforeStart: ({ linear }) => void linear.store.addUser({ name: 'Maria Sales', email: 'maria.sales@example.com' }),
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  const seedDeal = (overrides: DealOptions = {}) => seedDealIn(stack, overrides);
  const issueFor = (leadId: number) => issueOf(stack, leadId);
  const noteFor = (leadId: number) => noteOf(stack, leadId);

  it('creates the issue with every mapped field, the back-link, the field value and the note', async () => {
    const linearUser = stack.linear.store.users().find((u) => u.email === 'maria.sales@example.com');
    if (!linearUser) throw new Error('the Linear user was not seeded');
    const lead = seedDeal({ spec: '## Scope\nSet up **SSO** for 40 seats.', deadline: new Date('2026-12-24T15:00:00Z'), tags: ['Enterprise'] });

    const response = await stack.sendWon(lead.id);
    expect(response.status).toBe(200);

    const issue = await issueFor(lead.id);
    expect(issue).toBeDefined();
    if (!issue) return;
    expect(issue.title).toBe('ACME onboarding');
    expect(issue.description).toContain('## Scope\nSet up **SSO** for 40 seats.');
    expect(issue.description).toContain('**Amount:** $5,000.00');
    expect(issue.description).toContain('**Contact:** John Buyer · john@buyer.io');
    expect(issue.description).toContain('**Manager:** Maria Sales · Maria.Sales@Example.com');
    expect(issue.description).toContain('**Pipeline:** ');
    expect(issue.description).toContain(`[Kommo deal #${lead.id}](${stack.kommo.baseUrl}/leads/detail/${lead.id})`);
    expect(issue.description).toContain(`**Kommo deal id:** ${lead.id}`);
    expect(issue.priority).toBe(1);
    expect(issue.assigneeId).toBe(linearUser.id);
    // 15:00 UTC on the 24th is still the 24th in New York (the fake account's timezone).
    expect(issue.dueDate).toBe('2026-12-24');
    const team = stack.linear.store.findTeam('ENG');
    expect(issue.teamId).toBe(team?.id);
    const state = stack.linear.store.teamStates(issue.teamId).find((s) => s.id === issue.stateId);
    expect(state?.type).toBe('backlog');

    const attachment = stack.linear.store.attachments().find((a) => a.issueId === issue.id);
    expect(attachment?.title).toBe(`Kommo deal #${lead.id}`);
    expect(attachment?.subtitle).toBe('$5,000.00 · Maria Sales');

    const note = await noteFor(lead.id);
    expect(note.params.text).toBe(`Linear task created: ${issue.identifier}. Link: ${issue.url}`);
    await waitFor('the Linear issue field', () => stack.kommo.fieldValue(lead.id, 'Linear issue') === issue.identifier);
  });

  it('copes with a deal that has no spec, deadline, contact or matching Linear user', async () => {
    const lead = seedDeal({ withContact: false, managerEmail: 'nobody@example.com' });
    await stack.sendWon(lead.id);
    const issue = await issueFor(lead.id);
    expect(issue?.description).toContain('_No spec: the deal\'s "Spec" field is empty._');
    expect(issue?.description).toContain('**Contact:** none');
    expect(issue?.dueDate).toBeNull();
    expect(issue?.assigneeId).toBeNull();
    expect(issue?.priority).toBe(2);
    await noteFor(lead.id);
    const row = await waitFor('the link row', async () =>
      stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first(),
    );
    expect(JSON.stringify(row.warnings)).toContain('Assignee not found in Linear: no user with nobody@example.com');
  });

  it('does nothing when the deal is no longer won when the job reads it', async () => {
    const lead = seedDeal();
    stack.kommo.setLeadStatus(lead.id, stack.kommo.defaults.openStatusIds[1] ?? 1);
    const body = `leads[status][0][id]=${lead.id}&leads[status][0][status_id]=142&leads[status][0][pipeline_id]=${lead.pipelineId}&account[id]=${stack.kommo.account.accountId}`;
    expect((await stack.postKommo(body)).status).toBe(200);
    await waitFor('the lead to be re-read', () => stack.kommo.requests.some((r) => r.method === 'GET' && r.path === `/api/v4/leads/${lead.id}`));
    await waitFor('the job to finish', async () => (await stack.db.db('deal_links').where({ lead_id: lead.id })).length === 0);
    expect(stack.linear.store.attachments().some((a) => a.url.endsWith(`/${lead.id}`))).toBe(false);
    expect(stack.kommo.notes(lead.id)).toHaveLength(0);
  });

  it('creates one issue for duplicate and concurrent deliveries, and none when the deal is won again', async () => {
    const lead = seedDeal();
    const before = stack.linear.store.issues().length;
    const answers = await Promise.all(Array.from({ length: 8 }, () => stack.sendWon(lead.id)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await noteFor(lead.id);
    await stack.sendWon(lead.id);
    await stack.idle();
    expect(stack.linear.store.issues().length).toBe(before + 1);
    expect(stack.kommo.notes(lead.id)).toHaveLength(1);
  });
  it('answers a Won delivery for a deal already linked from the link, without queueing a job', async () => {
    const lead = seedDeal();
    await stack.sendWon(lead.id);
    await noteFor(lead.id);
    await stack.idle();
    const jobsOfLead = async () =>
      Number(
        ((await stack.db.db.raw(`select count(*)::int as n from pgboss.job where name = 'kommo-deal-won' and (data->'payload'->>'leadId')::bigint = ?`, [lead.id])) as { rows: Array<{ n: number }> }).rows[0]
          ?.n,
      );
    const jobsBefore = await jobsOfLead();
    expect(jobsBefore).toBeGreaterThan(0);
    const again = await stack.sendWon(lead.id);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, queued: 0, alreadyLinked: 1 });
    expect(await jobsOfLead()).toBe(jobsBefore);
  });
});
