/**
 * A won event for a lead Kommo does not have (404, or 204 with no body) is a rejected delivery:
 * no link row, one rejection record per lead whose count a replay bumps, and no retry.
 * Runs on PostgreSQL when TEST_DATABASE_URL is set, else on PGlite.
 */
import { COMMANDS } from '../../server/cli/commands';
import type { Tenant } from '../../server/tenants';
import { kommoStatusWebhook } from '../fixtures/kommo-webhook';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('won event for a lead Kommo does not have', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const sendWonFor = (leadId: number) =>
    stack.postKommo(
      kommoStatusWebhook({
        accountId: stack.kommo.account.accountId,
        subdomain: stack.kommo.account.subdomain,
        leads: [{ id: leadId, statusId: stack.kommo.defaults.wonStatusId, pipelineId: stack.kommo.defaults.pipelineId, oldStatusId: stack.kommo.defaults.openStatusIds[0] ?? 1 }],
      }),
    );
  const rejections = (leadId: number) => stack.db.db('rejected_won_leads').where({ lead_id: leadId });
  const links = (leadId: number) => stack.db.db('deal_links').where({ lead_id: leadId });
  const leadReads = (leadId: number) => stack.kommo.requests.filter((r) => r.method === 'GET' && r.path === `/api/v4/leads/${leadId}`).length;
  const jobStates = async (leadId: number) =>
    (
      (await stack.db.db.raw(`select state from pgboss.job where name = 'kommo-deal-won' and (data->'payload'->>'leadId')::bigint = ? order by created_on`, [leadId])) as {
        rows: Array<{ state: string }>;
      }
    ).rows.map((r) => r.state);
  const rejectedCount = async (leadId: number) => Number((await rejections(leadId).first())?.count ?? 0);

  it.each([
    ['404', 990_001, false],
    ['204 with no body', 990_002, true],
  ])('records a rejection instead of a failed link (%s), once per lead, without retrying', async (_, leadId, noContent) => {
    if (noContent) stack.kommo.inject({ kind: 'status', status: 204, body: '', method: 'GET', path: new RegExp(`^/api/v4/leads/${leadId}$`), times: Infinity });
    expect((await sendWonFor(leadId)).status).toBe(200);
    await waitFor('the rejection', () => rejectedCount(leadId).then((n) => n === 1));
    await stack.idle();
    expect(await links(leadId)).toEqual([]);
    expect(await rejections(leadId)).toHaveLength(1);
    expect(await rejectedCount(leadId)).toBe(1);
    const row = await rejections(leadId).first();
    expect(row.reason).toBe('lead_not_found');
    // One read of the lead, one job, completed: nothing was retried.
    expect(leadReads(leadId)).toBe(1);
    expect(await jobStates(leadId)).toEqual(['completed']);

    // A replay of the delivery counts up on the same row and leaves no link either.
    expect((await sendWonFor(leadId)).status).toBe(200);
    await waitFor('the second rejection', () => rejectedCount(leadId).then((n) => n === 2));
    await stack.idle();
    expect(await rejections(leadId)).toHaveLength(1);
    expect(await links(leadId)).toEqual([]);
    expect(leadReads(leadId)).toBe(2);
    expect(await jobStates(leadId)).toEqual(['completed', 'completed']);
    stack.kommo.clearFaults();
  });

  it('shows the rejections to support (the CLI)', async () => {
    const installation = stack.server.installation;
    if (!installation) throw new Error('the stack has no installation');
    const ctx = { db: stack.db.db, queue: stack.server.queue, installation, tenant: {} as Tenant };
    const listed = await COMMANDS.rejected?.run(ctx, []);
    expect(listed).toEqual([
      expect.stringMatching(/^rejected: deal 990002: lead_not_found × 2 \(first .*, last .*\): /),
      expect.stringMatching(/^rejected: deal 990001: lead_not_found × 2 \(first .*, last .*\): Kommo has no such record/),
    ]);
    const health = await COMMANDS.health?.run(ctx, []);
    expect(health).toEqual(expect.arrayContaining([expect.stringMatching(/^rejected: deal 990001: lead_not_found × 2/)]));
  });

  it('still creates the issue of a real won deal', async () => {
    const lead = stack.kommo.addLead({ name: 'Real deal', price: 10, statusId: stack.kommo.defaults.wonStatusId });
    await stack.sendWon(lead.id);
    await waitFor('the link', () => links(lead.id).where({ status: 'linked' }).first());
    expect(await rejections(lead.id)).toEqual([]);
  });
});
