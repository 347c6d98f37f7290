/** The job behind a verified Linear Issue webhook for a linked issue. */
import { z } from 'zod';
import { onIssueWebhook } from '../flows/issue-changed/on-issue-webhook';
import { snapshotOf } from '../linear/issue-snapshot';
import { IssueDataSchema, type LinearDelivery } from '../linear/webhook';
import { loadInstallationContext, recordKommoRefusal, type InstallationJobDeps } from './installation-context';
import type { JobDefinition, Queue } from './queue';

export const LINEAR_ISSUE_CHANGED = 'linear-issue-changed';

export const IssueChangedJobSchema = z
  .object({
    installationId: z.string().uuid(),
    action: z.string(),
    actorId: z.string().optional(),
    // Jobs queued before `issueId` existed carry only `issue`.
    issueId: z.string().min(1).optional(),
    /** Absent when the payload lacked a field we need: the job reads the issue from Linear. */
    issue: IssueDataSchema.optional(),
  })
  .refine((job) => job.issueId !== undefined || job.issue !== undefined, { message: 'issueId or issue is required', path: ['issueId'] });
export type IssueChangedJob = z.infer<typeof IssueChangedJobSchema>;

/** Queues one verified delivery; its id keys the job, so a replay queues nothing. */
export async function enqueueIssueChanged(
  queue: Pick<Queue, 'send'>,
  installationId: string,
  delivery: Extract<LinearDelivery, { kind: 'issue' }>,
  deliveryId: string,
): Promise<void> {
  const job: IssueChangedJob = {
    installationId,
    action: delivery.action,
    actorId: delivery.actorId,
    issueId: delivery.issueId,
    ...(delivery.issue ? { issue: delivery.issue } : {}),
  };
  await queue.send(LINEAR_ISSUE_CHANGED, job, { key: `linear:${installationId}:${deliveryId}` });
}

export function linearIssueChangedJob(deps: InstallationJobDeps): JobDefinition<typeof IssueChangedJobSchema> {
  return {
    name: LINEAR_ISSUE_CHANGED,
    schema: IssueChangedJobSchema,
    async handle(data, context) {
      const issueId = data.issueId ?? data.issue?.id ?? '';
      const log = deps.log.child({ installationId: data.installationId, issue: data.issue?.identifier ?? issueId, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, data.installationId, log);
      // While Kommo refuses the account the change is left to the reconciliation that runs when
      // access returns: it re-reads every issue changed since its last run.
      if (!ctx || ctx.installation.kommoAccess) return;
      const { issue } = data;
      await onIssueWebhook(
        ctx,
        {
          issueId,
          action: data.action === 'create' || data.action === 'remove' ? data.action : 'update',
          byUs: data.actorId !== undefined && data.actorId === ctx.installation.linearViewerId,
          ...(issue ? { described: { snapshot: snapshotOf(issue), trashed: Boolean(issue.trashed) } } : {}),
        },
        context.runId,
        deps.leaseSeconds,
      ).catch(async (error: unknown) => {
        if (!(await recordKommoRefusal(deps, ctx, error))) throw error;
      });
    },
  };
}
