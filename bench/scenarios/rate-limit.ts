/**
 * 6. The Kommo rate limit, measured as Kommo counts it: the fake's sliding one-second window of
 * every request that arrives, refused ones included.
 * - One bucket per account: two server processes on one PostgreSQL (one on PGlite), without
 *   KOMMO_ACCOUNT_ID, each receiving every delivery of a backlog of won deals: rate-limit
 *   violations (429s from the fake) and the drain time, next to the rate bound.
 * - 429s cost about a second: the same backlog on one process, once as is and once with 3 % of
 *   Kommo's answers turned into 429s (as another integration using the account's quota would
 *   cause): the drain time with them ÷ without.
 */
import { startFakeKommo, type FakeKommo } from '../../test/fakes/kommo';
import { startFakeLinear, type FakeLinear } from '../../test/fakes/linear';
import type { ChildServer } from '../../test/helpers/child-server';
import { postKommoDelivery, wonDelivery } from '../../test/helpers/single-account-env';
import { createBenchDb, newSecrets, round, serverEnv, sleep, startServerProcess, stopServerProcess, until, type DbKind } from '../lib';

const LIMIT = 7;
/** A won deal's Kommo calls once the reference data is warm: lead, contact, field, note. */
const CALLS_PER_DEAL = 4;

export interface BucketResult {
  db: DbKind;
  instances: number;
  deals: number;
  violations: number;
  maxPerSecond: number;
  drainSeconds: number;
  /** deals × calls ÷ 7 per second: no limiter can drain faster. */
  boundSeconds: number;
}

export interface RefusalsResult {
  db: DbKind;
  deals: number;
  injected429: number;
  kommoRequests: number;
  withoutSeconds: number;
  withSeconds: number;
  ratio: number;
  /** 429s beyond the injected ones: the limiter's own violations. */
  violations: number;
}

interface Backlog {
  kommo: FakeKommo;
  linear: FakeLinear;
  children: ChildServer[];
  secret: string;
}

/** Starts `instances` server processes on a fresh database, none told the account id. */
async function backlogSetup(kind: DbKind, instances: number): Promise<Backlog & { close(): Promise<void> }> {
  const [kommo, linear, db] = await Promise.all([startFakeKommo({ rateLimitPerSecond: LIMIT }), startFakeLinear(), createBenchDb(kind)]);
  const secrets = newSecrets();
  const env = serverEnv({ db, kommo, linear, ...secrets });
  const children: ChildServer[] = [];
  for (let i = 0; i < instances; i++) children.push(await startServerProcess(env));
  // Start-up learns the identity and warms the reference data; the backlog is measured after.
  await until('the warm-up', () => children.every((c) => c.output.some((l) => l.includes('reference data warm'))), 60_000, 50);
  await sleep(300);
  return {
    kommo,
    linear,
    children,
    secret: secrets.webhookSecret,
    async close() {
      await Promise.all(children.filter((c) => c.process.exitCode === null).map(stopServerProcess));
      await Promise.all([kommo.close(), linear.close()]);
      await db.drop();
    },
  };
}

/** Posts `deals` won deals to every instance and waits until each has its note; seconds taken. */
async function drain(b: Backlog, deals: number, label: string): Promise<number> {
  const leads = Array.from({ length: deals }, (_, n) => {
    const contact = b.kommo.addContact({ name: `${label} buyer ${n}` });
    return b.kommo.addLead({ name: `${label} ${n}`, price: n, statusId: b.kommo.defaults.wonStatusId, contactIds: [contact.id], mainContactId: contact.id });
  });
  const t0 = performance.now();
  for (const lead of leads) {
    const answers = await Promise.all(b.children.map((c) => postKommoDelivery(c.url, b.secret, wonDelivery(b.kommo, lead))));
    if (answers.some((a) => a.status !== 200)) throw new Error(`a webhook answered ${answers.map((a) => a.status).join(', ')}`);
  }
  await until(`${label}: every note`, () => leads.every((l) => b.kommo.notes(l.id).length > 0), 10 * 60_000, 50);
  return (performance.now() - t0) / 1000;
}

export async function oneBucket(kind: DbKind, deals: number): Promise<BucketResult> {
  const instances = kind === 'postgres' ? 2 : 1;
  const b = await backlogSetup(kind, instances);
  try {
    b.kommo.traffic.clear();
    const seconds = await drain(b, deals, 'Bucket deal');
    return {
      db: kind,
      instances,
      deals,
      violations: b.kommo.requests.filter((r) => r.status === 429).length,
      maxPerSecond: b.kommo.maxRequestsPerSecond(),
      drainSeconds: round(seconds, 1),
      boundSeconds: round((deals * CALLS_PER_DEAL) / LIMIT, 1),
    };
  } finally {
    await b.close();
  }
}

/** Keeps turning about `share` of the Kommo API requests that arrive into 429s. */
function inject429s(kommo: FakeKommo, share: number): { injected(): number; stop(): void } {
  let seen = kommo.requests.length;
  let owed = 0;
  let injected = 0;
  const timer = setInterval(() => {
    const now = kommo.requests.length;
    owed += (now - seen) * share;
    seen = now;
    while (owed >= 1) {
      kommo.inject({ kind: 'status', status: 429, path: /^\/api\/v4\//, times: 1 });
      owed -= 1;
      injected += 1;
    }
  }, 20);
  return { injected: () => injected, stop: () => clearInterval(timer) };
}

export async function refusals(kind: DbKind, deals: number): Promise<RefusalsResult> {
  const b = await backlogSetup(kind, 1);
  try {
    const withoutSeconds = await drain(b, deals, 'Plain deal');
    await sleep(1500);
    b.kommo.traffic.clear();
    const faults = inject429s(b.kommo, 0.03);
    const withSeconds = await drain(b, deals, 'Refused deal');
    faults.stop();
    const refused = b.kommo.requests.filter((r) => r.status === 429).length;
    return {
      db: kind,
      deals,
      injected429: faults.injected(),
      kommoRequests: b.kommo.requests.length,
      withoutSeconds: round(withoutSeconds, 1),
      withSeconds: round(withSeconds, 1),
      ratio: round(withSeconds / withoutSeconds, 2),
      violations: Math.max(0, refused - faults.injected()),
    };
  } finally {
    await b.close();
  }
}
