/**
 * 5. Backlog drain: many won deals over many installations queued at once. One server process;
 * installation 1 is the env (single-account) one, the others are inserted as rows of the
 * `installations` table (encrypted with the same key, as the repository stores them), each with
 * its own fake Kommo account enforcing Kommo's 7 requests/second. One shared fake Linear.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seedOAuthInstallation } from '../../test/helpers/seed-installation';
import { startFakeKommo, type FakeKommo } from '../../test/fakes/kommo';
import { DEFAULT_API_KEY, startFakeLinear } from '../../test/fakes/linear';
import { createBenchDb, newSecrets, round, serverEnv, sleep, startServerProcess, stopServerProcess, until, type DbKind } from '../lib';
import { postKommoDelivery, wonDelivery } from '../../test/helpers/single-account-env';

export interface BacklogResult {
  db: DbKind;
  deals: number;
  installations: number;
  intakeSeconds: number;
  drainSeconds: number;
  dealsPerSecond: number;
  maxKommoRpsPerAccount: number[];
  kommo429: number;
  /** Kommo API calls per deal as measured (refused ones left out), and the rate bound they imply. */
  kommoCallsPerDeal: number;
  boundDealsPerSecond: number;
  /** dealsPerSecond ÷ boundDealsPerSecond. */
  ofBound: number;
  /** Event-loop delay p99 of the process hosting the fakes (their request timestamps are only this precise). */
  fakesLoopDelayP99Ms: number;
  issues: number;
  notes: number;
}

export async function backlog(kind: DbKind, deals: number, installations: number): Promise<BacklogResult> {
  const kommos: FakeKommo[] = await Promise.all(
    Array.from({ length: installations }, (_, i) => startFakeKommo({ accountId: 31000000 + i, subdomain: `acct${i}`, accessToken: `kommo_token_${i}_${randomBytes(6).toString('hex')}`, rateLimitPerSecond: 7 })),
  );
  const [linear, db] = await Promise.all([startFakeLinear(), createBenchDb(kind)]);
  const first = kommos[0];
  if (!first) throw new Error('no installations');
  const secrets = newSecrets();
  const env = serverEnv({ db, kommo: first, linear, ...secrets, extra: { JOB_CONCURRENCY: '20' } });
  let child = await startServerProcess(env);
  const webhookSecrets = [secrets.webhookSecret];
  try {
    await until('start-up calls', () => first.requests.length > 0, 10_000, 20);
    await sleep(500);
    await stopServerProcess(child);
    const database = await db.open();
    for (const kommo of kommos.slice(1)) {
      webhookSecrets.push(await seedOAuthInstallation(database.db, secrets.encryptionKey, kommo, DEFAULT_API_KEY));
    }
    await database.close();
    child = await startServerProcess(env);
    await sleep(500);
    for (const k of kommos) k.traffic.clear();

    const perInstallation = Math.ceil(deals / installations);
    const posts: (() => Promise<Response>)[] = [];
    kommos.forEach((kommo, i) => {
      for (let d = 0; d < perInstallation && posts.length < deals; d++) {
        const lead = kommo.addLead({ name: `Backlog ${i}/${d}`, price: d, statusId: kommo.defaults.wonStatusId });
        posts.push(() => postKommoDelivery(child.url, webhookSecrets[i] ?? '', wonDelivery(kommo, lead)));
      }
    });
    // Interleave installations, as traffic from many accounts arrives.
    const order = posts.map((p, i) => ({ p, k: (i % perInstallation) * installations + Math.floor(i / perInstallation) })).sort((a, b) => a.k - b.k);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < order.length) {
          const item = order[next++];
          if (!item) break;
          const answer = await item.p();
          if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
        }
      }),
    );
    const intakeSeconds = (performance.now() - t0) / 1000;
    const total = posts.length;
    const notes = () => kommos.reduce((n, k) => n + k.store.notes.length, 0);
    await until('the backlog to drain', () => notes() >= total && linear.store.attachments().length >= total, 20 * 60_000, 100);
    const drainSeconds = (performance.now() - t0) / 1000;
    lag.disable();
    const answered = kommos.reduce((n, k) => n + k.requests.filter((r) => r.path.startsWith('/api/v4/') && r.status !== 429).length, 0);
    const callsPerDeal = answered / total;
    const bound = (installations * 7) / callsPerDeal;
    const dealsPerSecond = total / drainSeconds;
    return {
      db: kind,
      deals: total,
      installations,
      intakeSeconds: round(intakeSeconds, 2),
      drainSeconds: round(drainSeconds, 1),
      dealsPerSecond: round(dealsPerSecond, 1),
      kommoCallsPerDeal: round(callsPerDeal, 2),
      boundDealsPerSecond: round(bound, 1),
      ofBound: round(dealsPerSecond / bound, 2),
      maxKommoRpsPerAccount: kommos.map((k) => k.maxRequestsPerSecond()),
      kommo429: kommos.reduce((n, k) => n + k.requests.filter((r) => r.status === 429).length, 0),
      fakesLoopDelayP99Ms: round(lag.percentile(99) / 1e6, 1),
      issues: linear.store.issues().length,
      notes: notes(),
    };
  } finally {
    if (child.process.exitCode === null) await stopServerProcess(child);
    await Promise.all([...kommos.map((k) => k.close()), linear.close()]);
    await db.drop();
  }
}
