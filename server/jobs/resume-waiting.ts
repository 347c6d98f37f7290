/**
 * Queues again what waited for an installation's upstream to come back (Linear reconnected):
 * every deal whose link is still being created or retrying, and a reconciliation for the Linear
 * changes missed meanwhile. Each Won job is idempotent, so a deal already queued costs nothing.
 */
import type { DealLink } from '../domain/link';
import { enqueueWon } from './kommo-deal-won';
import { enqueuePeriodic, LINEAR_RECONCILE } from './periodic';
import type { Queue } from './queue';

export async function resumeWaitingDeals(queue: Pick<Queue, 'send'>, installationId: string, waiting: DealLink[]): Promise<number> {
  for (const link of waiting) {
    await enqueueWon(queue, { installationId, leadId: link.leadId, linkKey: link.linkKey, origin: link.origin === 'widget' ? 'widget' : 'won', requestedAt: link.requestedAt });
  }
  await enqueuePeriodic(queue, LINEAR_RECONCILE, installationId);
  return waiting.length;
}
