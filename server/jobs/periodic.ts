/**
 * The periodic jobs: reconciliation of Linear issues and the Won poll of Kommo, one job per
 * installation per run. A timer in each process offers the jobs; the queue's per-key dedupe
 * keeps it to one waiting job however many processes run.
 */
import { z } from 'zod';
import { reconcile } from '../sync/reconcile';
import { pollWon } from '../sync/poll-won';
import { loadInstallationContext, type InstallationJobDeps } from './installation-job';
import type { JobDefinition, Queue } from './queue';

export const LINEAR_RECONCILE = 'linear-reconcile';
export const KOMMO_WON_POLL = 'kommo-won-poll';

const PerInstallation = z.object({ installationId: z.string().uuid() });

export function reconcileJob(deps: InstallationJobDeps): JobDefinition<typeof PerInstallation> {
  return {
    name: LINEAR_RECONCILE,
    schema: PerInstallation,
    async handle({ installationId }, context) {
      const log = deps.log.child({ installationId, job: LINEAR_RECONCILE, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, installationId, log);
      if (!ctx) return;
      const result = await reconcile(
        {
          ...ctx,
          reconciledAt: ctx.installation.reconciledAt,
          markReconciled: (at) => deps.installations.setReconciledAt(deps.db, installationId, at),
        },
        context.jobId,
        deps.leaseSeconds,
      );
      log.info(result, 'reconciled linked issues');
    },
  };
}

export function wonPollJob(deps: InstallationJobDeps, enqueueWon: (installationId: string, leadId: number) => Promise<void>): JobDefinition<typeof PerInstallation> {
  return {
    name: KOMMO_WON_POLL,
    schema: PerInstallation,
    async handle({ installationId }, context) {
      const log = deps.log.child({ installationId, job: KOMMO_WON_POLL, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, installationId, log);
      if (!ctx) return;
      const result = await pollWon({
        ...ctx,
        cursor: ctx.installation.wonPollCursor,
        saveCursor: (cursor) => deps.installations.setWonPollCursor(deps.db, installationId, cursor),
        enqueueWon: (leadId) => enqueueWon(installationId, leadId),
      });
      if (result.queued > 0) log.info(result, 'won poll queued deals');
    },
  };
}

export interface Schedule {
  stop(): void;
}

/** Offers each periodic job for every active installation at its interval (0 = off). */
export function schedulePeriodic(
  deps: InstallationJobDeps,
  queue: Queue,
  intervals: { reconcileSeconds: number; wonPollSeconds: number },
): Schedule {
  const timers: NodeJS.Timeout[] = [];
  const offer = (name: string) => async () => {
    try {
      for (const installation of await deps.installations.listActive(deps.db)) {
        await queue.send(name, { installationId: installation.id }, { key: `${name}:${installation.id}` });
      }
    } catch (error) {
      deps.log.warn({ err: error, job: name }, 'could not schedule periodic job');
    }
  };
  if (intervals.reconcileSeconds > 0) timers.push(setInterval(offer(LINEAR_RECONCILE), intervals.reconcileSeconds * 1000).unref());
  if (intervals.wonPollSeconds > 0) timers.push(setInterval(offer(KOMMO_WON_POLL), intervals.wonPollSeconds * 1000).unref());
  return { stop: () => timers.forEach(clearInterval) };
}
