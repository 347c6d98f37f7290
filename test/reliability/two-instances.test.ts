/**
 * Two server processes on one PostgreSQL database, each receiving every webhook: one issue and
 * one note per deal, and both processes did part of the work.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { startFakeLinear, type FakeLinear } from '../fakes/linear';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { postKommoDelivery, singleAccountEnv, wonDelivery } from '../helpers/single-account-env';
import { waitFor } from '../helpers/wait-for';
import { pendingJobsAt, waitUntilIdle } from '../helpers/wait-until-idle';
import { createPgDatabase, describeWithPostgres, type PgDatabase } from './support';

setMaxListeners(0);
const DEALS = 60;

describeWithPostgres('two instances on one PostgreSQL', () => {
  let kommo: FakeKommo;
  let linear: FakeLinear;
  let pg: PgDatabase;
  const children: ChildServer[] = [];

  beforeAll(async () => {
    [kommo, linear, pg] = await Promise.all([startFakeKommo(), startFakeLinear(), createPgDatabase()]);
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill()));
    await Promise.all([kommo?.close(), linear?.close()]);
    await pg?.drop();
  });

  const secret = randomBytes(16).toString('hex');
  const encryptionKey = randomBytes(32).toString('base64');
  const envFor = (databaseUrl: string, extra: Record<string, string> = {}) =>
    singleAccountEnv({
      kommo,
      linear,
      database: { DATABASE_URL: databaseUrl },
      webhookSecret: secret,
      encryptionKey,
      extra: { JOB_TIMEOUT_SECONDS: '10', KOMMO_RATE_LIMIT_PER_SECOND: '20', ...extra },
    });
  const postWon = (child: ChildServer, lead: { id: number; pipelineId: number }) =>
    postKommoDelivery(child.url, secret, wonDelivery(kommo, lead)).then((r) => r.status);
  const created = (child: ChildServer) => child.output.filter((line) => line.includes('linear issue created')).length;

  it('creates one issue and one note per deal, with work on both instances', async () => {
    const env = envFor(pg.url);
    const first = await startChildServer(env, 60_000);
    children.push(first, await startChildServer(env, 60_000));
    kommo.setDelay(20);
    linear.setDelay(20);
    const leads = Array.from({ length: DEALS }, (_, n) => kommo.addLead({ name: `Twin deal ${n}`, price: n, statusId: kommo.defaults.wonStatusId }));
    for (const lead of leads) expect(await Promise.all(children.map((c) => postWon(c, lead)))).toEqual([200, 200]);
    await waitFor('every note', () => leads.every((l) => kommo.notes(l.id).length > 0), 120_000);
    // One queue in the shared database: either instance reports all of it.
    await waitUntilIdle(pendingJobsAt(first.url), linear);
    const issues = linear.store.issues();
    const perInstance = children.map(created);
    console.log(JSON.stringify({ deals: DEALS, issues: issues.length, notes: kommo.store.notes.length, issuesCreatedPerInstance: perInstance }));
    expect(issues).toHaveLength(DEALS);
    expect(leads.filter((l) => issues.filter((i) => i.title === l.name).length !== 1)).toEqual([]);
    expect(leads.filter((l) => kommo.notes(l.id).length !== 1)).toEqual([]);
    expect(kommo.store.notes).toHaveLength(DEALS);
    expect(perInstance.every((n) => n > 0)).toBe(true);
    expect(perInstance.reduce((a, b) => a + b, 0)).toBe(DEALS);
  }, 200_000);

  it('a web-only instance (JOB_CONCURRENCY=0) answers the webhooks; another runs the jobs', async () => {
    await Promise.all(children.splice(0).map((c) => c.kill()));
    const web = await startChildServer(envFor(pg.url, { JOB_CONCURRENCY: '0' }), 60_000);
    children.push(web);
    const leads = Array.from({ length: 10 }, (_, n) => kommo.addLead({ name: `Split deal ${n}`, price: n, statusId: kommo.defaults.wonStatusId }));
    for (const lead of leads) expect(await postWon(web, lead)).toBe(200);
    // Stored and waiting, with no worker anywhere; the counts at the end show who ran them.
    expect(await pendingJobsAt(web.url)()).toBe(leads.length);
    expect(leads.filter((l) => linear.store.issues().some((i) => i.title === l.name))).toEqual([]);
    const worker = await startChildServer(envFor(pg.url), 60_000);
    children.push(worker);
    await waitFor('every note', () => leads.every((l) => kommo.notes(l.id).length > 0), 60_000);
    expect(leads.filter((l) => linear.store.issues().filter((i) => i.title === l.name).length !== 1)).toEqual([]);
    expect(created(web)).toBe(0);
    expect(created(worker)).toBe(leads.length);
  }, 120_000);
});
