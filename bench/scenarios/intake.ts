/**
 * 3. Webhook intake and 7. memory. The server runs as a child process; autocannon runs in another
 * (forked) process; a bare Koa app in a third process of the same kind is the baseline.
 */
import { spawn } from 'node:child_process';
import { startFakeKommo } from '../../test/fakes/kommo';
import { startFakeLinear } from '../../test/fakes/linear';
import { kommoStatusWebhook } from '../../test/fixtures/kommo-webhook';
import {
  createBenchDb, newSecrets, ROOT, round, roundResult, rssBytes, runLoad, serverEnv, sleep, startServerProcess, stopServerProcess, until,
  type DbKind, type LoadResult, type LoadSpec,
} from '../lib';
import { startWithLinkedDeals } from '../seed-linked-deals';
import { wonDelivery } from '../../test/helpers/single-account-env';
import { isDone } from './won-latency';

/** Deals seeded as done, whose Won deliveries the won intake replays. */
const DONE_DEALS = 1000;
/** Won deliveries of deals never seen: more than a run at saturation sends, so each queues a job. */
const NEW_DEALS = 20_000;
const NEW_DEALS_FROM = 1_000_000;

export interface IntakeRow {
  kind: string;
  fixed: LoadResult;
  saturation: LoadResult;
}

export interface IntakeResult {
  db: DbKind;
  rate: number;
  durationSeconds: number;
  rows: IntakeRow[];
  nonWonVsBare: number;
  worstP99AtRate: number;
  memory: { idleMb: number; underLoadMaxMb: number };
}

async function startBareKoa(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-koa.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString('utf8')) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`bare koa exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGKILL') };
}

export async function intake(kind: DbKind, durationSeconds: number, rate = 500): Promise<IntakeResult> {
  const [kommo, linear, db] = await Promise.all([startFakeKommo(), startFakeLinear(), createBenchDb(kind)]);
  const secrets = newSecrets();
  const env = serverEnv({ db, kommo, linear, ...secrets });
  const child = await startWithLinkedDeals(env, db, DONE_DEALS, () => kommo.requests.length > 0 && linear.requests.length > 0);
  // On PostgreSQL, a second process that runs no jobs (JOB_CONCURRENCY=0) answers the same
  // deliveries while the first runs their jobs: the intake without jobs on its event loop.
  const web = kind === 'postgres' ? await startServerProcess({ ...env, JOB_CONCURRENCY: '0' }) : undefined;
  const bare = await startBareKoa();
  try {
    await until('start-up calls', () => kommo.requests.length > 0 && linear.requests.length > 0, 10_000, 20);
    // One deal through the whole flow, so there is a linked issue and a finished won deal.
    const lead = kommo.addLead({ name: 'Intake deal', price: 5, statusId: kommo.defaults.wonStatusId });
    const webhookUrl = `${child.url}/webhooks/kommo/${secrets.webhookSecret}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    await fetch(webhookUrl, { method: 'POST', headers: form, body: wonDelivery(kommo, lead) });
    await until('the intake deal', () => isDone(kommo, linear, lead.id, 'Intake deal'), 20_000, 20);
    const doneBodies = Array.from({ length: DONE_DEALS }, (_, i) => wonDelivery(kommo, { id: i + 1, pipelineId: lead.pipelineId }));
    const newBodies = Array.from({ length: NEW_DEALS }, (_, i) => wonDelivery(kommo, { id: NEW_DEALS_FROM + i, pipelineId: lead.pipelineId }));
    const linked = linear.store.issues().find((i) => i.title === 'Intake deal');
    const team = linear.store.findTeam('ENG');
    if (!linked || !team) throw new Error('no linked issue');
    const unlinked = linear.store.createIssue({ title: 'Not from Kommo', teamId: team.id });
    await sleep(1000);
    const idleRss = rssBytes(child.process.pid ?? 0) ?? 0;
    let maxRss = idleRss;
    const sample = () => {
      maxRss = Math.max(maxRss, rssBytes(child.process.pid ?? 0) ?? 0);
    };

    const nonWon = kommoStatusWebhook({
      accountId: kommo.account.accountId,
      subdomain: kommo.account.subdomain,
      leads: [{ id: lead.id, statusId: kommo.defaults.openStatusIds[1] ?? 2, pipelineId: lead.pipelineId, oldStatusId: kommo.defaults.openStatusIds[0] ?? 1 }],
    });
    const linearSpec = (issueId: string, baseUrl = child.url): Omit<LoadSpec, 'connections'> => {
      // Each request a new signed delivery (fresh timestamp, new Linear-Delivery): a replayed body would be deduplicated.
      const signed = linear.buildIssueWebhook(issueId, 'update', {}, { secret: secrets.linearWebhookSecret });
      const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
      return { url: `${baseUrl}/webhooks/linear`, method: 'POST', headers, body: signed.rawBody, uniqueHeader: 'linear-delivery', linearSecret: secrets.linearWebhookSecret };
    };
    const kinds: [string, () => Omit<LoadSpec, 'connections'>][] = [
      ['bare Koa 200', () => ({ url: `${bare.url}/bare`, method: 'POST', headers: form, body: nonWon })],
      ['Kommo non-won', () => ({ url: webhookUrl, method: 'POST', headers: form, body: nonWon })],
      // Distinct deals, as a burst of wins would be: one deal repeated would measure the queue's
      // one-waiting-job-per-deal rule (every insert on the same key) rather than the intake.
      ['Kommo won (1,000 deals already done)', () => ({ url: webhookUrl, method: 'POST', headers: form, bodies: doneBodies })],
      ['Linear, issue not linked', () => linearSpec(unlinked.id)],
      ['Linear, linked issue', () => linearSpec(linked.id)],
    ];
    if (web) {
      const webUrl = `${web.url}/webhooks/kommo/${secrets.webhookSecret}`;
      kinds.push(
        ['Kommo won, web-only process', () => ({ url: webUrl, method: 'POST', headers: form, bodies: doneBodies })],
        ['Linear linked, web-only process', () => linearSpec(linked.id, web.url)],
      );
    }
    // Last: the jobs these queue would otherwise run beside the rows after it.
    kinds.push(['Kommo won, new deals (each queues a job)', () => ({ url: webhookUrl, method: 'POST', headers: form, bodies: newBodies })]);
    const rows: IntakeRow[] = [];
    for (const [name, spec] of kinds) {
      const isServer = !name.startsWith('bare');
      await runLoad({ ...spec(), connections: 20, durationSeconds: 1, saturate: true }); // warm-up, discarded
      await sleep(500);
      const fixed = await runLoad({ ...spec(), connections: 50, rate, durationSeconds }, isServer ? sample : undefined);
      await sleep(500);
      const saturation = await runLoad({ ...spec(), connections: 50, durationSeconds, saturate: true }, isServer ? sample : undefined);
      rows.push({ kind: name, fixed: roundLoad(fixed), saturation: roundLoad(saturation) });
      await sleep(2000); // let queued jobs settle between kinds
    }
    const bareRow = rows[0];
    const nonWonRow = rows[1];
    return {
      db: kind,
      rate,
      durationSeconds,
      rows,
      nonWonVsBare: bareRow && nonWonRow ? round(nonWonRow.saturation.throughput / bareRow.saturation.throughput, 3) : NaN,
      worstP99AtRate: Math.max(...rows.slice(1).map((r) => r.fixed.p99)),
      memory: { idleMb: round(idleRss / 2 ** 20, 1), underLoadMaxMb: round(maxRss / 2 ** 20, 1) },
    };
  } finally {
    bare.stop();
    if (web) await stopServerProcess(web);
    await stopServerProcess(child);
    await Promise.all([kommo.close(), linear.close()]);
    await db.drop();
  }
}

function roundLoad(r: LoadResult): LoadResult {
  return roundResult(r);
}
