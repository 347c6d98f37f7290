/**
 * The customer step of a deal (Linear Customers, opt-in): queued once its issue is linked, and
 * again when Kommo reports a change of the deal (amount, company). Its own job, so that a failure
 * here is retried here and never fails or delays the won deal.
 */
import { z } from 'zod';
import { bindDb } from '../db/bind';
import { customerSyncsRepo } from '../db/repos/customer-syncs';
import { syncCustomer } from '../flows/customers/sync-customer';
import { loadInstallationContext, recordKommoRefusal, type InstallationJobDeps } from './installation-context';
import type { JobDefinition, Queue } from './queue';

export const LINEAR_CUSTOMER = 'linear-customer';

export const CustomerJobSchema = z.object({
  installationId: z.string().uuid(),
  leadId: z.number().int().positive(),
});

/**
 * One waiting job per deal and cause: several edits in a row collapse onto one sync, which reads
 * the deal as it is then. The Won job's own request (`after: 'linked'`) has a key of its own: an
 * edit's sync that is already running may have read the deal before its issue existed, and a
 * request collapsed onto it would be lost.
 */
export async function enqueueCustomerSync(queue: Pick<Queue, 'send'>, installationId: string, leadId: number, after: 'edit' | 'linked' = 'edit'): Promise<void> {
  const key = `customer:${installationId}:${leadId}${after === 'linked' ? ':linked' : ''}`;
  await queue.send(LINEAR_CUSTOMER, { installationId, leadId }, { key, group: installationId });
}

export function linearCustomerJob(deps: InstallationJobDeps): JobDefinition<typeof CustomerJobSchema> {
  return {
    name: LINEAR_CUSTOMER,
    schema: CustomerJobSchema,
    async handle(data, context) {
      const log = deps.log.child({ installationId: data.installationId, leadId: data.leadId, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, data.installationId, log);
      // While Kommo refuses the account there is nothing to read; the next change of the deal queues it again.
      if (!ctx || ctx.installation.kommoAccess) return;
      try {
        const outcome = await syncCustomer({ ...ctx, syncs: bindDb(customerSyncsRepo, deps.db) }, data.leadId);
        log.info({ outcome: outcome.kind, ...(outcome.kind === 'skipped' ? { reason: outcome.reason } : { needsCreated: outcome.needsCreated }) }, 'linear customer step done');
      } catch (error) {
        if (await recordKommoRefusal(deps, ctx, error)) return;
        throw error;
      }
    },
  };
}
