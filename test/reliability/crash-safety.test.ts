/**
 * Exactly-once under faults: 300 won deals over 3 installations (one fake Kommo each) while the
 * fakes inject ~10 % 5xx, ~5 % timeouts and 429 / RATELIMITED bursts, and the server process is
 * SIGKILLed at random moments and restarted. Afterwards: 300 issues, 300 back-links, 300 field
 * values, 300 creation notes, every link completed, no job left behind, no secret leaked.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createBenchDb, type BenchDb } from '../../bench/lib';
import { seedOAuthInstallation } from '../helpers/seed-installation';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { startFakeLinear, type FakeLinear } from '../fakes/linear';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { postKommoDelivery, singleAccountEnv, wonDelivery } from '../helpers/single-account-env';
import { pendingJobsAt, waitUntilIdle } from '../helpers/wait-until-idle';
import { dumpDatabase, findSecrets, postgresProblem, randomFaults, seededRandom, sleep } from './support';

setMaxListeners(0);
const INSTALLATIONS = 3;
const DEALS = Number(process.env.RELIABILITY_DEALS ?? 300);
const KILLS = 5;

describe('crash safety under faults and SIGKILL', () => {
  let kommos: FakeKommo[] = [];
  let linear: FakeLinear;
  let db: BenchDb;
  let child: ChildServer | undefined;
  const outputs: string[][] = [];

  beforeAll(async () => {
    const linearKey = `lin_api_${randomBytes(16).toString('hex')}`;
    kommos = await Promise.all(
      Array.from({ length: INSTALLATIONS }, (_, i) => startFakeKommo({ accountId: 32000000 + i, subdomain: `crash${i}`, accessToken: `kommo_${randomBytes(16).toString('hex')}` })),
    );
    linear = await startFakeLinear({ apiKeys: [linearKey] });
    db = await createBenchDb(postgresProblem() ? 'pglite' : 'postgres');
    process.env.RELIABILITY_LINEAR_KEY = linearKey;
  });
  afterAll(async () => {
    await child?.kill();
    await Promise.all([...kommos.map((k) => k.close()), linear?.close()]);
    await db?.drop();
  });

  it(`creates exactly ${DEALS} issues, back-links, field values and notes`, async () => {
    const random = seededRandom(20261127);
    const first = kommos[0] as FakeKommo;
    const secrets = {
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      KOMMO_WEBHOOK_SECRET: randomBytes(18).toString('hex'),
      KOMMO_CLIENT_SECRET: randomBytes(32).toString('base64url'),
      LINEAR_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
      LINEAR_API_KEY: process.env.RELIABILITY_LINEAR_KEY ?? '',
    };
    const env = singleAccountEnv({
      kommo: first,
      linear,
      database: db.env,
      webhookSecret: secrets.KOMMO_WEBHOOK_SECRET,
      encryptionKey: secrets.ENCRYPTION_KEY,
      extra: {
        ...secrets,
        KOMMO_CLIENT_ID: randomBytes(16).toString('hex'),
        HTTP_TIMEOUT_MS: '1500',
        JOB_TIMEOUT_SECONDS: '4',
        JOB_RETRY_LIMIT: '30',
        KOMMO_RATE_LIMIT_PER_SECOND: '15',
      },
    });
    const start = async () => {
      child = await startChildServer(env, 60_000);
      outputs.push(child.output);
      return child;
    };
    // Start once for migrations and the env installation; add the other installations as rows.
    await start();
    await sleep(500);
    await child?.kill('SIGTERM');
    const database = await db.open();
    const webhookSecrets = [secrets.KOMMO_WEBHOOK_SECRET];
    for (const kommo of kommos.slice(1)) {
      webhookSecrets.push(await seedOAuthInstallation(database.db, secrets.ENCRYPTION_KEY, kommo, secrets.LINEAR_API_KEY));
    }
    await database.close();
    let server = await start();

    const deals = Array.from({ length: DEALS }, (_, n) => {
      const i = n % INSTALLATIONS;
      const kommo = kommos[i] as FakeKommo;
      const name = `Crash deal ${n}`;
      const lead = kommo.addLead({ name, price: n, statusId: kommo.defaults.wonStatusId });
      return { kommo, lead, name, body: wonDelivery(kommo, lead), secret: webhookSecrets[i] ?? '' };
    });
    const faults = randomFaults(kommos, linear, random);
    let postAttempts = 0;

    // Kommo retries a delivery that was not answered 200; so does this sender.
    let next = 0;
    const sender = Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < deals.length) {
          const deal = deals[next++];
          if (!deal) break;
          for (;;) {
            postAttempts++;
            const status = await postKommoDelivery(server.url, deal.secret, deal.body, AbortSignal.timeout(5000)).then((r) => r.status, () => 0);
            if (status === 200) break;
            await sleep(200);
          }
          await sleep(20);
        }
      }),
    );
    const killer = (async () => {
      for (let k = 0; k < KILLS; k++) {
        await sleep(1500 + random() * 3500);
        await server.kill('SIGKILL');
        server = await start();
      }
    })();
    await Promise.all([sender, killer]);

    const done = (d: (typeof deals)[number]) => d.kommo.notes(d.lead.id).length > 0 && d.kommo.fieldValue(d.lead.id, 'Linear issue') !== undefined;
    // Faults keep coming for a minute after the last kill, then stop so the retries (exponential
    // backoff, which doubles from 1 s) drain; the wait ends when everything is done or nothing moved for 120 s.
    const faultsUntil = Date.now() + 60_000;
    let lastProgress = Date.now();
    let doneCount = 0;
    const hardDeadline = Date.now() + 300_000;
    while (Date.now() < hardDeadline && Date.now() - lastProgress < 120_000) {
      const now = deals.filter(done).length;
      if (now === deals.length) break;
      if (now !== doneCount) [doneCount, lastProgress] = [now, Date.now()];
      if (Date.now() > faultsUntil) faults.stop();
      await sleep(250);
    }
    faults.stop();
    // Every deal done: let whatever is still queued run, so a duplicate that would happen has happened.
    if (deals.every(done)) await waitUntilIdle(pendingJobsAt(server.url), linear, 120_000);
    await server.kill('SIGTERM');

    const issues = linear.store.issues();
    const attachments = linear.store.attachments();
    const counts = {
      issues: issues.length,
      dealsWithOneIssue: deals.filter((d) => issues.filter((i) => i.title === d.name).length === 1).length,
      backLinks: attachments.length,
      dealsWithOneBackLink: deals.filter((d) => attachments.filter((a) => a.issueId === issues.find((i) => i.title === d.name)?.id).length === 1).length,
      fieldValues: deals.filter((d) => {
        const identifier = issues.find((i) => i.title === d.name)?.identifier;
        return identifier !== undefined && d.kommo.fieldValue(d.lead.id, 'Linear issue') === identifier;
      }).length,
      notes: kommos.reduce((n, k) => n + k.store.notes.length, 0),
      dealsWithOneNote: deals.filter((d) => d.kommo.notes(d.lead.id).length === 1).length,
    };
    const fieldMismatches = deals
      .filter((d) => d.kommo.fieldValue(d.lead.id, 'Linear issue') !== issues.find((i) => i.title === d.name)?.identifier)
      .map((d) => ({
        lead: d.lead.id,
        account: d.kommo.account.accountId,
        expected: issues.find((i) => i.title === d.name)?.identifier,
        linearIssueFields: [...d.kommo.store.customFields.values()].filter((f) => f.name === 'Linear issue').map((f) => ({ id: f.id, value: d.lead.customFields.get(f.id)?.[0]?.value })),
        patches: d.kommo.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/leads/${d.lead.id}`)).map((r) => r.status),
      }));
    const after = await db.open();
    const links = (await after.db('deal_links').select('status', 'completed_at', 'error_code', 'error_message', 'installation_id')) as { status: string; completed_at: Date | null; error_code: string | null; error_message: string | null; installation_id: string }[];
    const linkStates = links.reduce<Record<string, number>>((acc, l) => ({ ...acc, [`${l.installation_id.slice(0, 8)} ${l.status} ${l.error_code ?? ''} ${(l.error_message ?? '').slice(0, 120)}`]: (acc[`${l.installation_id.slice(0, 8)} ${l.status} ${l.error_code ?? ''} ${(l.error_message ?? '').slice(0, 120)}`] ?? 0) + 1 }), {});
    const jobs = (await after.db.raw(`select name, state, count(*)::int as n from pgboss.job group by name, state order by name, state`)) as { rows: { name: string; state: string; n: number }[] };
    const dump = await dumpDatabase(after.db);
    await after.close();
    console.log(
      JSON.stringify({ database: db.kind, kills: KILLS, postAttempts, faults: faults.stats, counts, fieldMismatches, links: linkStates, jobs: jobs.rows, upstreamRequests: { kommo: kommos.map((k) => k.requests.length), linear: linear.requests.length } }, null, 1),
    );

    expect(counts).toEqual({
      issues: DEALS,
      dealsWithOneIssue: DEALS,
      backLinks: DEALS,
      dealsWithOneBackLink: DEALS,
      fieldValues: DEALS,
      notes: DEALS,
      dealsWithOneNote: DEALS,
    });
    expect(links).toHaveLength(DEALS);
    expect(links.filter((l) => l.status !== 'linked' || l.completed_at === null)).toEqual([]);
    const stuck = jobs.rows.filter((r) => r.name === 'kommo-deal-won' && ['created', 'retry', 'active', 'failed'].includes(r.state));
    expect(stuck).toEqual([]);
    expect(findSecrets({ ...secrets, ...Object.fromEntries(kommos.map((k, i) => [`kommo token ${i}`, k.accessToken])), ...Object.fromEntries(webhookSecrets.map((s, i) => [`webhook secret ${i}`, s])) }, {
      'server logs': outputs.flat().join('\n'),
      'database dump': dump,
    })).toEqual([]);
  }, 480_000);
});
