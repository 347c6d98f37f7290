/**
 * Backfill end to end: the dry run counts what the run creates, deals linked before are left
 * alone, a run cut off mid-way by a stopped server resumes without a duplicate issue, and a
 * cancelled run queues nothing more; a rule on an open stage finds deals at it or past it, by
 * their last change. Runs on PostgreSQL when TEST_DATABASE_URL is set, else on PGlite.
 */
import { BackfillDryRunResponseSchema, BackfillRunViewSchema, BackfillStatusResponseSchema, type BackfillRunView } from '../../shared/backfill-api';
import { issuesOf, seedDeal } from '../helpers/deals';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

const DAY = 24 * 60 * 60;
const today = () => new Date().toISOString().slice(0, 10);

describe('Backfill', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { KOMMO_RATE_LIMIT_PER_SECOND: '20' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.server.url}/api/widget/backfill${path}`, {
      method,
      headers: { 'x-auth-token': stack.widgetToken({ is_admin: true }), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  };
  const status = async () => BackfillStatusResponseSchema.parse((await call('GET', '')).json).run;
  const finished = (want: BackfillRunView['status']) =>
    waitFor(`the backfill ${want}`, async () => {
      const run = await status();
      return run?.status === want ? run : undefined;
    }, 60_000);
  /** Won deals closed today, for the range starting today; their Kommo dates are the fake's now. */
  const seedWon = (n: number) => Array.from({ length: n }, () => seedDeal(stack));

  it('creates exactly as many issues as the dry run counted, leaving linked deals and deals before the range alone', async () => {
    const [linked, ...fresh] = seedWon(3);
    const before = stack.kommo.addLead({ name: 'Won last year', statusId: stack.kommo.defaults.wonStatusId, createdAt: Math.floor(Date.now() / 1000) - 400 * DAY });
    const open = stack.kommo.addLead({ name: 'Still open', statusId: stack.kommo.defaults.openStatusIds[0] ?? 1 });
    if (!linked) throw new Error('no deal');
    await stack.sendWon(linked.id);
    await waitFor('the linked deal issue', () => issuesOf(stack, linked.id).length === 1);
    await stack.idle();

    const nonAdmin = await fetch(`${stack.server.url}/api/widget/backfill`, { headers: { 'x-auth-token': stack.widgetToken({ is_admin: false }) } });
    expect(nonAdmin.status).toBe(403);
    expect((await call('POST', '/dry-run', { since: '2026-13-01' })).status).toBe(400);
    const dry = BackfillDryRunResponseSchema.parse((await call('POST', '/dry-run', { since: today() })).json);
    expect(dry.count).toBe(fresh.length);
    expect(dry.first.map((c) => c.leadId).sort()).toEqual(fresh.map((l) => l.id).sort());

    const started = await call('POST', '', { since: today() });
    expect(started.status).toBe(202);
    expect(BackfillRunViewSchema.parse(started.json).status).toBe('running');
    const done = await finished('done');
    await stack.idle();
    expect(done).toMatchObject({ total: dry.count, done: dry.count, errors: 0 });
    for (const lead of fresh) expect(issuesOf(stack, lead.id)).toHaveLength(1);
    expect(issuesOf(stack, linked.id)).toHaveLength(1);
    expect(issuesOf(stack, before.id)).toHaveLength(0);
    expect(issuesOf(stack, open.id)).toHaveLength(0);
    // Everything is linked now: a second dry run finds nothing.
    expect(BackfillDryRunResponseSchema.parse((await call('POST', '/dry-run', { since: today() })).json).count).toBe(0);
  }, 120_000);

  it('resumes after the server stops mid-run and creates each issue once', async () => {
    const deals = seedWon(25);
    // Kommo hangs on reading deals: the run is stuck with its first batch in the Won queue.
    const hang = stack.kommo.inject({ method: 'GET', path: /^\/api\/v4\/leads\/\d+$/, kind: 'timeout', times: Infinity });
    expect((await call('POST', '', { since: today() })).status).toBe(202);
    expect((await call('POST', '', { since: today() })).status).toBe(409);
    await waitFor('a batch handed to the Won job', async () => Number((await stack.db.db('backfill_items').where({ queued: true }).count({ n: '*' }).first())?.n ?? 0) > 0);
    await stack.restart();
    hang.cancel();
    const done = await finished('done');
    await stack.idle();
    expect(done.total).toBe(deals.length);
    expect(done.done).toBe(deals.length);
    for (const lead of deals) expect(issuesOf(stack, lead.id)).toHaveLength(1);
  }, 180_000);

  it('stops queueing deals once cancelled', async () => {
    seedWon(25);
    const hang = stack.kommo.inject({ method: 'GET', path: /^\/api\/v4\/leads\/\d+$/, kind: 'timeout', times: Infinity });
    expect((await call('POST', '', { since: today() })).status).toBe(202);
    await waitFor('a batch handed to the Won job', async () => (await status())?.listed === true);
    const cancelled = BackfillStatusResponseSchema.parse((await call('DELETE', '')).json).run;
    expect(cancelled?.status).toBe('cancelled');
    hang.cancel();
    await stack.idle();
    const run = await status();
    expect(run?.status).toBe('cancelled');
    const queued = await stack.db.db('backfill_items').where({ run_id: run?.id, queued: true }).count({ n: '*' }).first();
    expect(Number(queued?.n)).toBeLessThan(25);
    expect((await call('DELETE', '')).status).toBe(404);
  }, 120_000);
});

describe('Backfill with a rule on an open stage', () => {
  let stack: Stack;
  let contractSigned: number;

  beforeAll(async () => {
    stack = await startStack({
      settings: ({ kommo }) => {
        contractSigned = kommo.defaults.openStatusIds[2] ?? 0;
        return {
          pipelines: 'listed',
          rules: [
            { id: 'onboarding', name: 'Onboarding', pipelineId: kommo.defaults.pipelineId, statusId: contractSigned, team: 'ENG', labels: [] },
            { id: 'handover', name: 'Handover', pipelineId: kommo.defaults.pipelineId, team: 'ENG', labels: [] },
          ],
        };
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${stack.server.url}/api/widget/backfill${path}`, {
      method: 'POST',
      headers: { 'x-auth-token': stack.widgetToken({ is_admin: true }), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  };

  it('finds deals at the stage or past it, by their last change in the range, one issue per deal and rule', async () => {
    const now = Math.floor(Date.now() / 1000);
    const atStage = seedDeal(stack, { statusId: contractSigned });
    const won = seedDeal(stack);
    const before = seedDeal(stack, { statusId: stack.kommo.defaults.openStatusIds[0] ?? 1 });
    const stale = stack.kommo.addLead({ name: 'Stale', statusId: contractSigned, createdAt: now - 400 * DAY, updatedAt: now - 400 * DAY });
    const yesterday = new Date(Date.now() - DAY * 1000).toISOString().slice(0, 10);
    const lastYear = new Date((now - 500 * DAY) * 1000).toISOString().slice(0, 10);

    expect(BackfillDryRunResponseSchema.parse((await post('/dry-run', { since: lastYear, until: yesterday })).json).count).toBe(1);
    const dry = BackfillDryRunResponseSchema.parse((await post('/dry-run', { since: today() })).json);
    expect(dry.first.map((c) => `${c.leadId}:${c.linkKey}`).sort()).toEqual([`${atStage.id}:rule:onboarding`, `${won.id}:rule:handover`, `${won.id}:rule:onboarding`].sort());
    expect((await post('', { since: today() })).status).toBe(202);
    const done = await waitFor('the backfill done', async () => {
      const response = await fetch(`${stack.server.url}/api/widget/backfill`, { headers: { 'x-auth-token': stack.widgetToken({ is_admin: true }) } });
      const run = BackfillStatusResponseSchema.parse(await response.json()).run;
      return run?.status === 'done' ? run : undefined;
    }, 60_000);
    await stack.idle();
    expect(done).toMatchObject({ total: 3, done: 3, errors: 0 });
    expect(issuesOf(stack, atStage.id)).toHaveLength(1);
    expect(issuesOf(stack, won.id)).toHaveLength(2);
    expect(issuesOf(stack, before.id)).toHaveLength(0);
    expect(issuesOf(stack, stale.id)).toHaveLength(0);
  }, 120_000);
});
