/**
 * The periodic jobs: reconciliation of Linear issues and the Won poll of Kommo, one job per
 * installation per run. A timer in each process offers the jobs; the queue's per-key dedupe
 * keeps it to one waiting job however many processes run.
 */
import { z } from 'zod';
import { bindDb } from '../db/bind';
import { commentMirrorsRepo } from '../db/repos/comment-mirrors';
import { reconcileComments as catchUpComments } from '../flows/comments/reconcile-comments';
import { reconcile } from '../flows/issue-changed/reconcile';
import { pollWon } from '../flows/won/poll-won';
import { enqueueWon } from './kommo-deal-won';
import { loadInstallationContext, recordKommoRefusal, type InstallationContext, type InstallationJobDeps } from './installation-context';
import type { JobDefinition, Queue } from './queue';

export const LINEAR_RECONCILE = 'linear-reconcile';
export const KOMMO_WON_POLL = 'kommo-won-poll';
/** Asks Kommo whether an account it refused answers again (jobs/kommo-access-check.ts). */
export const KOMMO_ACCESS_CHECK = 'kommo-access-check';

const PerInstallation = z.object({ installationId: z.string().uuid() });

/** Queues one run of a periodic job for an installation, unless one is already waiting. */
export async function enqueuePeriodic(queue: Pick<Queue, 'send'>, name: string, installationId: string): Promise<void> {
  await queue.send(name, { installationId }, { key: `${name}:${installationId}` });
}

/** A job that runs `work` in the context of one active installation. */
function perInstallationJob(
  name: string,
  deps: InstallationJobDeps,
  work: (ctx: InstallationContext, runId: string) => Promise<void>,
): JobDefinition<typeof PerInstallation> {
  return {
    name,
    schema: PerInstallation,
    async handle({ installationId }, context) {
      const log = deps.log.child({ installationId, job: name, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, installationId, log);
      // While Kommo refuses the account nothing runs; the cursors stay, so the run after access returns catches up.
      if (!ctx || ctx.installation.kommoAccess) return;
      try {
        await work(ctx, context.runId);
      } catch (error) {
        if (await recordKommoRefusal(deps, ctx, error)) return;
        throw error;
      }
    },
  };
}

export function reconcileJob(deps: InstallationJobDeps): JobDefinition<typeof PerInstallation> {
  return perInstallationJob(LINEAR_RECONCILE, deps, async (ctx, runId) => {
    const { id } = ctx.installation;
    const markReconciled = (at: Date) => deps.installations.setReconciledAt(id, at);
    const mirrors = bindDb(commentMirrorsRepo, deps.db);
    const reconcileComments = (issueIds: string[], since: string) => catchUpComments({ ...ctx, mirrors }, issueIds, since, runId, deps.leaseSeconds);
    const result = await reconcile({ ...ctx, reconciledAt: ctx.installation.reconciledAt, markReconciled, reconcileComments }, runId, deps.leaseSeconds);
    ctx.log.info(result, 'reconciled linked issues');
  });
}

export function wonPollJob(deps: InstallationJobDeps, queue: Pick<Queue, 'send'>): JobDefinition<typeof PerInstallation> {
  return perInstallationJob(KOMMO_WON_POLL, deps, async (ctx) => {
    const installationId = ctx.installation.id;
    const result = await pollWon({
      ...ctx,
      cursor: ctx.installation.wonPollCursor,
      saveCursor: (cursor) => deps.installations.setWonPollCursor(installationId, cursor),
      enqueueWon: (leadId, linkKey) => enqueueWon(queue, { installationId, leadId, origin: 'won', linkKey, requestedAt: new Date() }),
    });
    if (result.queued > 0) ctx.log.info(result, 'won poll queued deals');
  });
}

export interface Schedule {
  stop(): void;
}

/**
 * Offers each periodic job for every active installation at its interval (0 = off): the access
 * check for installations Kommo refuses, the reconciliation and the Won poll for the others.
 */
export function schedulePeriodic(
  deps: { installations: Pick<InstallationJobDeps['installations'], 'listActive'>; log: InstallationJobDeps['log'] },
  queue: Pick<Queue, 'send'>,
  intervals: { reconcileSeconds: number; wonPollSeconds: number; kommoAccessCheckSeconds: number },
): Schedule {
  const timers: NodeJS.Timeout[] = [];
  const offer = (name: string, refused: boolean) => async () => {
    try {
      for (const installation of await deps.installations.listActive()) {
        if ((installation.kommoAccess !== null) === refused) await enqueuePeriodic(queue, name, installation.id);
      }
    } catch (error) {
      deps.log.warn({ err: error, job: name }, 'could not schedule periodic job');
    }
  };
  const every = (seconds: number, name: string, refused: boolean) => {
    if (seconds > 0) timers.push(setInterval(offer(name, refused), seconds * 1000).unref());
  };
  every(intervals.reconcileSeconds, LINEAR_RECONCILE, false);
  every(intervals.wonPollSeconds, KOMMO_WON_POLL, false);
  every(intervals.kommoAccessCheckSeconds, KOMMO_ACCESS_CHECK, true);
  return { stop: () => timers.forEach(clearInterval) };
}
