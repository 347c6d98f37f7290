/**
 * The periodic check of an account Kommo refuses (unpaid, restricted, token refused): one cheap
 * call (`GET /api/v4/account`). While it is still refused the reason and time are updated; once
 * it answers, the mark is cleared and what waited is queued again: the deals to create and the
 * reconciliation; the Won poll catches up at its next run (their cursors did not move meanwhile).
 */
import { z } from 'zod';
import { enqueueWon } from './kommo-deal-won';
import { loadInstallationContext, recordKommoRefusal, type InstallationJobDeps } from './installation-context';
import { enqueuePeriodic, KOMMO_ACCESS_CHECK, LINEAR_RECONCILE } from './periodic';
import type { JobDefinition, Queue } from './queue';

const CheckJob = z.object({ installationId: z.string().uuid() });

export function kommoAccessCheckJob(deps: InstallationJobDeps, queue: Pick<Queue, 'send'>): JobDefinition<typeof CheckJob> {
  return {
    name: KOMMO_ACCESS_CHECK,
    schema: CheckJob,
    async handle({ installationId }, context) {
      const log = deps.log.child({ installationId, job: KOMMO_ACCESS_CHECK, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, installationId, log);
      if (!ctx?.installation.kommoAccess) return;
      try {
        await ctx.kommo.getAccount();
      } catch (error) {
        if (await recordKommoRefusal(deps, ctx, error)) return;
        // Kommo down or slow is not an answer either way: the next periodic check asks again.
        log.warn({ err: error }, 'Kommo access check inconclusive; asking again at the next check');
        return;
      }
      if (!(await deps.installations.clearKommoAccess(installationId))) return;
      const waiting = await ctx.links.listWaiting(installationId);
      for (const link of waiting) {
        await enqueueWon(queue, {
          installationId,
          leadId: link.leadId,
          linkKey: link.linkKey,
          origin: link.origin === 'widget' ? 'widget' : 'won',
          requestedAt: link.requestedAt,
        });
      }
      // The Won poll catches up at its next run (its cursor did not move); queued now it would race these jobs.
      await enqueuePeriodic(queue, LINEAR_RECONCILE, installationId);
      log.info({ waiting: waiting.length }, 'Kommo answers the account again; waiting deals queued');
    },
  };
}
