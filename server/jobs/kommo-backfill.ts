/**
 * The backfill job, one step per run: list the next page of deals (saving the cursor), or hand
 * the next batch of found deals to the Won job, then queue the next step. The Won job's link
 * keys keep each issue exactly-once, so a step repeated after a crash creates nothing twice;
 * batches keep the Won queue short, and every Kommo call goes through the installation's limiter.
 */
import { z } from 'zod';
import { bindDb } from '../db/bind';
import { backfillsRepo } from '../db/repos/backfills';
import type { BackfillRun } from '../domain/backfill';
import { toAppError } from '../errors';
import { listBackfillPage } from '../flows/backfill/list-backfill';
import { enqueueWon, KOMMO_DEAL_WON, wonJobKey } from './kommo-deal-won';
import { loadInstallationContext, recordKommoRefusal, type InstallationJobDeps } from './installation-context';
import { pendingJobKeys, type JobDefinition, type Queue } from './queue';

export const KOMMO_BACKFILL = 'kommo-backfill';
/** Deals in the Won queue at once per backfill. */
const BATCH = 20;
/** Between two looks at a batch's progress. */
const STEP_DELAY_MS = 1000;
/** While Kommo refuses the account. */
const ACCESS_WAIT_MS = 60_000;

const BackfillJobSchema = z.object({ runId: z.string().uuid() });

export async function enqueueBackfill(queue: Pick<Queue, 'send'>, runId: string, delayMs = 0): Promise<void> {
  await queue.send(KOMMO_BACKFILL, { runId }, { key: `backfill:${runId}`, ...(delayMs > 0 ? { startAfterMs: delayMs } : {}) });
}

/** At start: every running backfill continues (a crashed process left its step unfinished). */
export async function resumeBackfills(deps: Pick<InstallationJobDeps, 'db' | 'log'>, queue: Pick<Queue, 'send'>): Promise<void> {
  for (const run of await backfillsRepo.listRunning(deps.db)) await enqueueBackfill(queue, run.id);
}

export function kommoBackfillJob(deps: InstallationJobDeps, queue: Pick<Queue, 'send'>): JobDefinition<typeof BackfillJobSchema> {
  const store = bindDb(backfillsRepo, deps.db);

  /** Hands the next batch to the Won job; true once every item is handed over and none is still pending. */
  async function feed(run: BackfillRun): Promise<boolean> {
    const unsettled = await store.unsettledQueued(run);
    const pending = await pendingJobKeys(deps.db, KOMMO_DEAL_WON, unsettled.map((i) => wonJobKey(run.installationId, i.leadId, i.linkKey)));
    const next = await store.unqueued(run.id, Math.max(0, BATCH - pending.size));
    for (const item of next) {
      // Sent before it is marked: a crash in between sends it again, which the job's key collapses.
      await enqueueWon(queue, { installationId: run.installationId, leadId: item.leadId, origin: 'won', linkKey: item.linkKey, requestedAt: new Date() });
    }
    await store.markQueued(run.id, next);
    return next.length === 0 && pending.size === 0;
  }

  return {
    name: KOMMO_BACKFILL,
    schema: BackfillJobSchema,
    async handle({ runId }, context) {
      const run = await store.find(runId);
      if (!run || run.status !== 'running') return;
      const log = deps.log.child({ installationId: run.installationId, backfillId: runId, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, run.installationId, log);
      if (!ctx) {
        await store.finish(runId, 'failed', 'The installation is disabled or gone');
        return;
      }
      if (ctx.installation.kommoAccess) {
        await enqueueBackfill(queue, runId, ACCESS_WAIT_MS);
        return;
      }
      try {
        if (!run.listed && run.cursor) {
          const page = await listBackfillPage(ctx, run, run.cursor);
          await store.addPage(runId, run.cursor, page.items, page.next);
          await enqueueBackfill(queue, runId);
          return;
        }
        const finished = await feed(run);
        await store.refreshCounts(run);
        if (finished) {
          if (await store.finish(runId, 'done')) log.info({ total: run.total }, 'backfill done');
          return;
        }
        await enqueueBackfill(queue, runId, STEP_DELAY_MS);
      } catch (error) {
        if (await recordKommoRefusal(deps, ctx, error)) {
          await enqueueBackfill(queue, runId, ACCESS_WAIT_MS);
          return;
        }
        const appError = toAppError(error);
        if (context.finalAttempt || !appError.retryable) await store.finish(runId, 'failed', `${appError.code}: ${appError.message}`);
        throw error;
      }
    },
  };
}
