/** The job behind a verified Linear Issue webhook for a linked issue. */
import { z } from 'zod';
import { onIssueChanged } from '../flows/issue-changed/on-issue-changed';
import { snapshotOf } from '../linear/issue-snapshot';
import { IssueDataSchema, type LinearDelivery } from '../linear/webhook';
import { loadInstallationContext, recordKommoRefusal, type InstallationJobDeps } from './installation-context';
import type { JobDefinition, Queue } from './queue';

export const LINEAR_ISSUE_CHANGED = 'linear-issue-changed';

export const IssueChangedJobSchema = z.object({
  installationId: z.string().uuid(),
  action: z.string(),
  actorId: z.string().optional(),
  issue: IssueDataSchema,
});
export type IssueChangedJob = z.infer<typeof IssueChangedJobSchema>;

/** Queues one verified delivery; its id (Linear-Delivery) keys the job, so a replay queues nothing. */
export async function enqueueIssueChanged(
  queue: Pick<Queue, 'send'>,
  installationId: string,
  delivery: Extract<LinearDelivery, { kind: 'issue' }>,
  deliveryId: string,
): Promise<void> {
  const job: IssueChangedJob = { installationId, action: delivery.action, actorId: delivery.actorId, issue: delivery.issue };
  await queue.send(LINEAR_ISSUE_CHANGED, job, { key: `linear:${installationId}:${deliveryId}` });
}

export function linearIssueChangedJob(deps: InstallationJobDeps): JobDefinition<typeof IssueChangedJobSchema> {
  return {
    name: LINEAR_ISSUE_CHANGED,
    schema: IssueChangedJobSchema,
    async handle(data, context) {
      const log = deps.log.child({ installationId: data.installationId, issue: data.issue.identifier, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, data.installationId, log);
      // While Kommo refuses the account the change is left to the reconciliation that runs when
      // access returns: it re-reads every issue changed since its last run.
      if (!ctx || ctx.installation.kommoAccess) return;
      const { issue } = data;
      await onIssueChanged(
        ctx,
        {
          issueId: issue.id,
          deleted: data.action === 'remove' || Boolean(issue.trashed),
          byUs: data.actorId !== undefined && data.actorId === ctx.installation.linearViewerId,
          snapshot: snapshotOf(issue),
        },
        context.jobId,
        deps.leaseSeconds,
      ).catch(async (error: unknown) => {
        if (!(await recordKommoRefusal(deps, ctx, error))) throw error;
      });
    },
  };
}
