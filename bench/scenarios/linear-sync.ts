/**
 * 7. Linear → Kommo latency: a person changes a linked issue in Linear (here: assigns it); the
 * fake Linear delivers the signed webhook to the server process; done when the deal has the note
 * (posted after the card's cache is updated). Fakes add 100 ms per call, so the critical path is
 * one Kommo call (the note) plus the delivery. Measured for issues changed long after creation
 * and right after it, while the Won job still holds the deal's lease for its write-backs.
 */
import { startFakeKommo } from '../../test/fakes/kommo';
import { startFakeLinear } from '../../test/fakes/linear';
import { postKommoDelivery, wonDelivery } from '../../test/helpers/single-account-env';
import { createBenchDb, newSecrets, percentile, round, serverEnv, sleep, startServerProcess, stopServerProcess, until, type DbKind } from '../lib';
import { isDone } from './won-latency';

const DELAY_MS = 100;

export interface LinearSyncResult {
  db: DbKind;
  samples: number;
  criticalPathMs: number;
  settled: { p50: number; p95: number };
  rightAfterCreation: { p50: number; p95: number };
}

export async function linearSync(kind: DbKind, samples: number): Promise<LinearSyncResult> {
  const [kommo, linear, db] = await Promise.all([startFakeKommo(), startFakeLinear(), createBenchDb(kind)]);
  const secrets = newSecrets();
  const child = await startServerProcess(serverEnv({ db, kommo, linear, ...secrets }));
  linear.webhookTarget({ url: `${child.url}/webhooks/linear`, secret: secrets.linearWebhookSecret });
  const human = linear.store.addUser({ name: 'Dana Dev', email: 'dana@example.com' });
  try {
    await until('the warm-up', () => child.output.some((l) => l.includes('reference data warm')) && child.output.some((l) => l.includes('Linear connected')), 30_000, 20);
    kommo.setDelay(DELAY_MS);
    linear.setDelay(DELAY_MS);
    let n = 0;
    const newDeal = async () => {
      const title = `Sync deal ${n++}`;
      const lead = kommo.addLead({ name: title, price: n, statusId: kommo.defaults.wonStatusId });
      const answer = await postKommoDelivery(child.url, secrets.webhookSecret, wonDelivery(kommo, lead));
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
      return { lead, title };
    };
    /** Assigns the issue in Linear; ms until the deal has the assignment note. */
    const assign = async (leadId: number, issueId: string) => {
      const notes = () => kommo.notes(leadId).filter((x) => String(x.params.text).includes('assigned to Dana Dev')).length;
      const t0 = performance.now();
      linear.store.updateIssue(issueId, { assigneeId: human.id }, human.id);
      await until('the assignment note', () => notes() > 0, 30_000);
      return performance.now() - t0;
    };
    const settled: number[] = [];
    const early: number[] = [];
    for (let i = 0; i < samples; i++) {
      const { lead, title } = await newDeal();
      await until('the deal done', () => isDone(kommo, linear, lead.id, title), 30_000);
      await sleep(300);
      const issue = linear.store.issues().find((x) => x.title === title);
      if (!issue) throw new Error('no issue');
      settled.push(await assign(lead.id, issue.id));
      await sleep(1200);
    }
    for (let i = 0; i < samples; i++) {
      const { lead, title } = await newDeal();
      const issue = await until('the issue', () => linear.store.issues().find((x) => x.title === title), 30_000);
      early.push(await assign(lead.id, issue.id));
      await until('the deal done', () => isDone(kommo, linear, lead.id, title), 30_000);
      await sleep(1200);
    }
    const stats = (xs: number[]) => ({ p50: round(percentile(xs, 50), 1), p95: round(percentile(xs, 95), 1) });
    return { db: kind, samples, criticalPathMs: DELAY_MS, settled: stats(settled), rightAfterCreation: stats(early) };
  } finally {
    if (child.process.exitCode === null) await stopServerProcess(child);
    await Promise.all([kommo.close(), linear.close()]);
    await db.drop();
  }
}
