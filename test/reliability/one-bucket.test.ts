/**
 * One rate-limit bucket per Kommo account, always: server processes that start without
 * KOMMO_ACCOUNT_ID, learn it, are SIGKILLed and start again (then knowing it) must together stay
 * within Kommo's 7 requests in any sliding second, as the fake counts them (refused ones too).
 * Also while both cores are busy with other work, where a grant must not turn into a late burst.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createBenchDb, type BenchDb } from '../../bench/lib';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { startFakeLinear, type FakeLinear } from '../fakes/linear';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { postKommoDelivery, singleAccountEnv, wonDelivery } from '../helpers/single-account-env';
import { waitFor } from '../helpers/wait-for';
import { describeWithPostgres } from './support';

setMaxListeners(0);
const DEALS = 30;

/** A busy loop on every core, as other load on the machine would be. */
function starveCpus(cores = 2): { stop(): Promise<void> } {
  const loops: ChildProcess[] = Array.from({ length: cores }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return {
    async stop() {
      await Promise.all(loops.map((p) => new Promise<void>((done) => (p.exitCode !== null ? done() : (p.once('exit', () => done()), p.kill('SIGKILL'))))));
    },
  };
}

interface Run {
  kommo: FakeKommo;
  linear: FakeLinear;
  db: BenchDb;
  children: ChildServer[];
}

async function setUp(kind: 'postgres' | 'pglite'): Promise<Run> {
  const [kommo, linear, db] = await Promise.all([startFakeKommo({ rateLimitPerSecond: 7 }), startFakeLinear(), createBenchDb(kind)]);
  return { kommo, linear, db, children: [] };
}

async function tearDown(run: Run | undefined): Promise<void> {
  if (!run) return;
  await Promise.all(run.children.map((c) => c.kill()));
  await Promise.all([run.kommo.close(), run.linear.close()]);
  await run.db.drop();
}

/**
 * Posts the deals to every live instance in two halves; between them, SIGKILLs each instance and
 * starts it again (the restarted one knows the account id from the database).
 */
async function wonDealsAcrossKills(run: Run, instances: number): Promise<void> {
  const { kommo, linear } = run;
  const secret = randomBytes(16).toString('hex');
  // No KOMMO_ACCOUNT_ID: the processes learn it from the token.
  const env = singleAccountEnv({ kommo, linear, database: run.db.env, webhookSecret: secret, encryptionKey: randomBytes(32).toString('base64'), extra: { JOB_TIMEOUT_SECONDS: '30' } });
  for (let i = 0; i < instances; i++) run.children.push(await startChildServer(env, 90_000));
  const leads = Array.from({ length: DEALS }, (_, n) => kommo.addLead({ name: `Bucket deal ${n}`, price: n, statusId: kommo.defaults.wonStatusId }));
  const post = (lead: { id: number; pipelineId: number }) =>
    Promise.all(run.children.map((c) => postKommoDelivery(c.url, secret, wonDelivery(kommo, lead)).then((r) => r.status)));
  const half = leads.length / 2;
  for (const lead of leads.slice(0, half)) expect(await post(lead)).toEqual(run.children.map(() => 200));
  await waitFor('some notes before the kills', () => kommo.store.notes.length >= 3, 120_000);
  for (let i = 0; i < run.children.length; i++) {
    await run.children[i]?.kill('SIGKILL');
    run.children[i] = await startChildServer(env, 90_000);
  }
  for (const lead of leads.slice(half)) expect(await post(lead)).toEqual(run.children.map(() => 200));
  await waitFor('every note', () => leads.every((l) => kommo.notes(l.id).length > 0), 240_000);
  expect(leads.filter((l) => kommo.notes(l.id).length !== 1)).toEqual([]);
}

function expectWithinKommosLimit(kommo: FakeKommo): void {
  const refused = kommo.requests.filter((r) => r.status === 429);
  console.log(JSON.stringify({ kommoRequests: kommo.requests.length, refused: refused.length, maxPerSecond: kommo.maxRequestsPerSecond() }));
  expect(refused).toEqual([]);
  expect(kommo.maxRequestsPerSecond()).toBeLessThanOrEqual(7);
}

describeWithPostgres('one bucket per account: two instances on one PostgreSQL, no KOMMO_ACCOUNT_ID', () => {
  let run: Run | undefined;
  afterEach(async () => {
    await tearDown(run);
    run = undefined;
  });

  it('never exceeds 7 requests in any sliding second, across SIGKILLs and restarts', async () => {
    run = await setUp('postgres');
    await wonDealsAcrossKills(run, 2);
    expectWithinKommosLimit(run.kommo);
  }, 300_000);

  it('never exceeds it while both cores are busy with other work', async () => {
    run = await setUp('postgres');
    const load = starveCpus();
    try {
      await wonDealsAcrossKills(run, 2);
    } finally {
      await load.stop();
    }
    expectWithinKommosLimit(run.kommo);
  }, 300_000);
});

describe('one bucket per account: one process on PGlite, no KOMMO_ACCOUNT_ID', () => {
  let run: Run | undefined;
  afterEach(async () => {
    await tearDown(run);
    run = undefined;
  });

  it('never exceeds 7 requests in any sliding second, across a SIGKILL and restart, with busy cores', async () => {
    run = await setUp('pglite');
    const load = starveCpus();
    try {
      await wonDealsAcrossKills(run, 1);
    } finally {
      await load.stop();
    }
    expectWithinKommosLimit(run.kommo);
  }, 300_000);
});
