/**
 * 1. Won → done latency and 2. API economy. Deals are sent one at a time to the server process;
 * each is done when the issue, the back-link, the field and the note are all in the fakes. The
 * link row's requested_at → completed_at is read from the database afterwards as well.
 */
import { startFakeKommo, type FakeKommo } from '../../test/fakes/kommo';
import { startFakeLinear, type FakeLinear } from '../../test/fakes/linear';
import { postKommoDelivery, wonDelivery } from '../../test/helpers/single-account-env';
import { createBenchDb, newSecrets, percentile, round, serverEnv, sleep, startServerProcess, stopServerProcess, until, type DbKind } from '../lib';

export interface WonLatencyResult {
  db: DbKind;
  deals: number;
  criticalPathMs: number;
  fakes: { p50: number; p95: number; max: number };
  linkRow: { p50: number; p95: number; max: number };
  p50Ratio: number;
  p95Ratio: number;
  calls: { coldKommo: number; coldLinear: number; warmKommoMax: number; warmLinearMax: number; warmKommoAvg: number; warmLinearAvg: number };
  /** The first deal after the server started (its caches filled by the warm-up only): latency and ÷ the warm p50. */
  first: { ms: number; vsWarmP50: number; linkRowMs: number | null };
}

const CRITICAL_PATH_MS = 400;
/**
 * Start-to-start spacing so that no window of the Kommo limiter (a slot is free again a second
 * after its answer) holds two deals' 4 calls each: this scenario measures the critical path; the
 * backlog scenario measures the limiter.
 */
const SPACING_MS = 1300;

export function isDone(kommo: FakeKommo, linear: FakeLinear, leadId: number, title: string): boolean {
  const issue = linear.store.issues().find((i) => i.title === title);
  if (!issue) return false;
  if (!linear.store.attachments().some((a) => a.issueId === issue.id && a.url.endsWith(`/leads/detail/${leadId}`))) return false;
  if (kommo.fieldValue(leadId, 'Linear issue') !== issue.identifier) return false;
  return kommo.notes(leadId).length > 0;
}


const kommoApiCalls = (kommo: FakeKommo) => kommo.requests.filter((r) => r.path.startsWith('/api/v4/')).length;

export async function wonLatency(kind: DbKind, deals: number): Promise<WonLatencyResult> {
  const [kommo, linear, db] = await Promise.all([startFakeKommo(), startFakeLinear(), createBenchDb(kind)]);
  const secrets = newSecrets();
  const child = await startServerProcess(serverEnv({ db, kommo, linear, ...secrets }));
  try {
    // Start-up learns the account and the Linear viewer and warms the reference data; the first
    // deal comes after that, as the first deal after a start does.
    await until('start-up calls', () => kommo.requests.length > 0 && linear.requests.length > 0, 10_000, 20);
    await until('the warm-up', () => child.output.some((l) => l.includes('reference data warm')), 30_000, 20);
    await sleep(1200);
    kommo.setDelay(100);
    linear.setDelay(100);
    const post = (leadId: number, pipelineId: number) => postKommoDelivery(child.url, secrets.webhookSecret, wonDelivery(kommo, { id: leadId, pipelineId }));

    const run = async (i: number) => {
      const title = `Bench deal ${i}`;
      const contact = kommo.addContact({ name: `Buyer ${i}`, email: `buyer${i}@example.com` });
      const lead = kommo.addLead({ name: title, price: 1000 + i, statusId: kommo.defaults.wonStatusId, contactIds: [contact.id], mainContactId: contact.id });
      const k0 = kommoApiCalls(kommo);
      const l0 = linear.requests.length;
      const t0 = performance.now();
      const answer = await post(lead.id, lead.pipelineId);
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
      await until(`deal ${i} done`, () => isDone(kommo, linear, lead.id, title), 30_000);
      const ms = performance.now() - t0;
      await sleep(50); // anything still in flight for this deal lands in its count
      return { ms, kommo: kommoApiCalls(kommo) - k0, linear: linear.requests.length - l0, leadId: lead.id };
    };

    const cold = await run(0); // the first deal after the start
    const samples: Awaited<ReturnType<typeof run>>[] = [];
    for (let i = 1; i <= deals; i++) {
      const started = Date.now();
      samples.push(await run(i));
      const wait = SPACING_MS - (Date.now() - started);
      if (wait > 0) await sleep(wait);
    }
    await stopServerProcess(child);
    const database = await db.open();
    const rows = (await database.db('deal_links').select('lead_id', 'requested_at', 'completed_at')) as { lead_id: string | number; requested_at: Date | string; completed_at: Date | string | null }[];
    await database.close();
    const measured = new Set(samples.map((s) => s.leadId));
    const rowMs = rows
      .filter((r) => measured.has(Number(r.lead_id)) && r.completed_at !== null)
      .map((r) => new Date(r.completed_at as Date | string).getTime() - new Date(r.requested_at).getTime());
    const coldRow = rows.find((r) => Number(r.lead_id) === cold.leadId && r.completed_at !== null);
    const firstRow = coldRow ? new Date(coldRow.completed_at as Date | string).getTime() - new Date(coldRow.requested_at).getTime() : undefined;
    const times = samples.map((s) => s.ms);
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    return {
      db: kind,
      deals,
      criticalPathMs: CRITICAL_PATH_MS,
      fakes: { p50: round(p50, 1), p95: round(p95, 1), max: round(Math.max(...times), 1) },
      linkRow: { p50: round(percentile(rowMs, 50), 1), p95: round(percentile(rowMs, 95), 1), max: round(Math.max(...rowMs), 1) },
      p50Ratio: round(p50 / CRITICAL_PATH_MS, 3),
      first: { ms: round(cold.ms, 1), vsWarmP50: round(cold.ms / p50, 2), linkRowMs: firstRow ? round(firstRow, 1) : null },
      p95Ratio: round(p95 / CRITICAL_PATH_MS, 3),
      calls: {
        coldKommo: cold.kommo,
        coldLinear: cold.linear,
        warmKommoMax: Math.max(...samples.map((s) => s.kommo)),
        warmLinearMax: Math.max(...samples.map((s) => s.linear)),
        warmKommoAvg: round(samples.reduce((a, s) => a + s.kommo, 0) / samples.length, 2),
        warmLinearAvg: round(samples.reduce((a, s) => a + s.linear, 0) / samples.length, 2),
      },
    };
  } finally {
    if (child.process.exitCode === null) await stopServerProcess(child);
    await Promise.all([kommo.close(), linear.close()]);
    await db.drop();
  }
}
