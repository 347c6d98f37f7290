/**
 * Trigger stages end to end: a rule fires on any stage of its pipeline, several rules fire on
 * one deal (one issue per deal and rule, exactly once), the stage poll finds what a lost webhook
 * missed, and the card says which rule made each issue. Runs on PostgreSQL when
 * TEST_DATABASE_URL is set, else on PGlite.
 */
import { LeadLinksResponseSchema } from '../../shared/api';
import { KOMMO_WON_POLL } from '../../server/jobs/periodic';
import { issuesOf, noteFor, seedDeal } from '../helpers/deals';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('Trigger stages', () => {
  let stack: Stack;
  /** "Qualified" in the Sales pipeline: the onboarding rule's trigger stage. */
  let contractSigned: number;
  let partnersPipeline: number;

  beforeAll(async () => {
    stack = await startStack({
      settings: ({ kommo }) => {
        contractSigned = kommo.defaults.openStatusIds[2] ?? 0;
        partnersPipeline = kommo.addPipeline({ name: 'Partners' }).id;
        return {
          pipelines: 'listed',
          rules: [
            { id: 'onboarding', name: 'Onboarding', pipelineId: kommo.defaults.pipelineId, statusId: contractSigned, team: 'ENG', labels: [] },
            { id: 'handover', name: 'Handover', pipelineId: kommo.defaults.pipelineId, team: 'ENG', state: 'Todo', labels: [] },
          ],
        };
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  const issueCount = (leadId: number) => issuesOf(stack, leadId).length;
  const linkRows = (leadId: number) => stack.db.db('deal_links').where({ lead_id: leadId }).orderBy('created_at');

  async function card(leadId: number) {
    const response = await fetch(`${stack.server.url}/api/widget/leads/${leadId}`, { headers: { 'x-auth-token': stack.widgetToken() } });
    expect(response.status).toBe(200);
    return LeadLinksResponseSchema.parse(await response.json());
  }

  it('creates one issue when a deal enters a non-Won trigger stage, and the card names the rule and stage', async () => {
    const lead = seedDeal(stack, { statusId: contractSigned });
    expect((await stack.sendWon(lead.id)).status).toBe(200);
    await waitFor('the onboarding issue', () => issueCount(lead.id) === 1);
    await noteFor(stack, lead.id);
    await stack.sendWon(lead.id);
    await stack.idle();
    expect(issueCount(lead.id)).toBe(1);
    expect(stack.kommo.notes(lead.id)).toHaveLength(1);
    const rows = await linkRows(lead.id);
    expect(rows.map((r: { link_key: string }) => r.link_key)).toEqual(['rule:onboarding']);
    const view = await card(lead.id);
    expect(view.links[0]?.trigger).toEqual({ source: 'stage', rule: 'Onboarding', stage: 'Qualified' });
  });

  it('makes one issue per rule when a deal passes two trigger stages, each once under replays', async () => {
    const lead = seedDeal(stack, { statusId: contractSigned });
    await stack.sendWon(lead.id);
    await waitFor('the onboarding issue', () => issueCount(lead.id) === 1);
    stack.kommo.setLeadStatus(lead.id, stack.kommo.defaults.wonStatusId);
    await Promise.all([stack.sendWon(lead.id), stack.sendWon(lead.id)]);
    await waitFor('the handover issue', () => issueCount(lead.id) === 2);
    await waitFor('both notes', () => stack.kommo.notes(lead.id).length === 2);

    // The earlier stage's delivery again, the Won one again, and a stage poll: nothing new.
    const body = `leads[status][0][id]=${lead.id}&leads[status][0][status_id]=${contractSigned}&leads[status][0][pipeline_id]=${lead.pipelineId}&account[id]=${stack.kommo.account.accountId}`;
    expect((await stack.postKommo(body)).status).toBe(200);
    await stack.sendWon(lead.id);
    await stack.runJob(KOMMO_WON_POLL, (await stack.db.db('installations').first('id')).id);
    await stack.idle();
    expect(issueCount(lead.id)).toBe(2);
    expect(stack.kommo.notes(lead.id)).toHaveLength(2);
    const rows = await linkRows(lead.id);
    expect(rows.map((r: { link_key: string }) => r.link_key).sort()).toEqual(['rule:handover', 'rule:onboarding']);

    const team = stack.linear.store.findTeam('ENG');
    const handover = issuesOf(stack, lead.id).find((i) => stack.linear.store.teamStates(team?.id ?? '').find((s) => s.id === i.stateId)?.name === 'Todo');
    expect(handover).toBeDefined();
    const view = await card(lead.id);
    expect(view.links.map((l) => l.trigger?.rule).sort()).toEqual(['Handover', 'Onboarding']);
  });

  it('still makes the stage issue when the deal moved on before the job read it, but not for a lost deal', async () => {
    const movedOn = seedDeal(stack, { statusId: stack.kommo.defaults.openStatusIds[3] ?? 0 });
    const lost = seedDeal(stack, { statusId: stack.kommo.defaults.lostStatusId });
    for (const lead of [movedOn, lost]) {
      const body = `leads[status][0][id]=${lead.id}&leads[status][0][status_id]=${contractSigned}&leads[status][0][pipeline_id]=${lead.pipelineId}&account[id]=${stack.kommo.account.accountId}`;
      expect((await stack.postKommo(body)).status).toBe(200);
    }
    await waitFor('the issue of the deal that moved on', () => issueCount(movedOn.id) === 1);
    await stack.idle();
    expect(issueCount(lost.id)).toBe(0);
    expect(await linkRows(lost.id)).toHaveLength(0);
  });

  it('creates nothing in a pipeline without rules when the settings list pipelines', async () => {
    const lead = seedDeal(stack, { pipelineId: partnersPipeline });
    expect((await stack.sendWon(lead.id)).status).toBe(200);
    await stack.idle();
    expect(issueCount(lead.id)).toBe(0);
  });

  it('the stage poll finds a deal in a trigger stage whose webhook was lost', async () => {
    const lead = seedDeal(stack, { statusId: contractSigned });
    const installation = (await stack.db.db('installations').first('id')).id as string;
    await stack.runJob(KOMMO_WON_POLL, installation);
    await waitFor('the polled issue', () => issueCount(lead.id) === 1);
    await stack.runJob(KOMMO_WON_POLL, installation);
    await stack.idle();
    expect(issueCount(lead.id)).toBe(1);
  });
  it("fills a rule's issue from the card's Create, so its stage later makes no second one", async () => {
    const lead = seedDeal(stack, { statusId: stack.kommo.defaults.openStatusIds[0] });
    const create = () => fetch(`${stack.server.url}/api/widget/leads/${lead.id}/issues`, { method: 'POST', headers: { 'x-auth-token': stack.widgetToken() } });
    expect((await create()).status).toBe(202);
    await waitFor('the card-made issue', () => issueCount(lead.id) === 1);
    await waitFor('its link linked', async () => (await linkRows(lead.id)).every((r: { status: string }) => r.status === 'linked') || undefined);
    // The deal reaches the first rule's stage, then Won: only the second rule adds an issue.
    stack.kommo.setLeadStatus(lead.id, contractSigned);
    await stack.sendWon(lead.id);
    stack.kommo.setLeadStatus(lead.id, stack.kommo.defaults.wonStatusId);
    await stack.sendWon(lead.id);
    await waitFor('the handover issue', () => issueCount(lead.id) === 2);
    await stack.idle();
    expect(issueCount(lead.id)).toBe(2);
    expect((await linkRows(lead.id)).map((r: { link_key: string; origin: string }) => [r.link_key, r.origin])).toEqual([
      ['rule:onboarding', 'widget'],
      ['rule:handover', 'won'],
    ]);
    // Every rule has its issue: a third Create is an extra issue.
    expect((await create()).status).toBe(202);
    await waitFor('the extra issue', () => issueCount(lead.id) === 3);
  });
});
