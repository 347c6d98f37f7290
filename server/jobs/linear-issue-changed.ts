/** The job behind a verified Linear Issue webhook for a linked issue. */
import { z } from 'zod';
import { IssueDataSchema } from '../linear/webhook';
import { onIssueChanged } from '../sync/on-issue-changed';
import { loadInstallationContext, type InstallationJobDeps } from './installation-job';
import type { JobDefinition } from './queue';

export const LINEAR_ISSUE_CHANGED = 'linear-issue-changed';

export const IssueChangedJobSchema = z.object({
  installationId: z.string().uuid(),
  action: z.string(),
  actorId: z.string().optional(),
  issue: IssueDataSchema,
});
export type IssueChangedJob = z.infer<typeof IssueChangedJobSchema>;

export function linearIssueChangedJob(deps: InstallationJobDeps): JobDefinition<typeof IssueChangedJobSchema> {
  return {
    name: LINEAR_ISSUE_CHANGED,
    schema: IssueChangedJobSchema,
    async handle(data, context) {
      const log = deps.log.child({ installationId: data.installationId, issue: data.issue.identifier, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, data.installationId, log);
      if (!ctx) return;
      const { issue } = data;
      await onIssueChanged(
        ctx,
        {
          issueId: issue.id,
          deleted: data.action === 'remove' || Boolean(issue.trashed),
          byUs: data.actorId !== undefined && data.actorId === ctx.installation.linearViewerId,
          snapshot: {
            identifier: issue.identifier,
            title: issue.title,
            url: issue.url,
            state: issue.state ? { name: issue.state.name, type: issue.state.type, color: issue.state.color } : null,
            assignee: issue.assignee ? { id: issue.assignee.id, name: issue.assignee.name, avatarUrl: issue.assignee.avatarUrl ?? null } : null,
            priority: Math.round(issue.priority),
            dueDate: issue.dueDate ?? null,
            updatedAt: issue.updatedAt,
          },
        },
        context.jobId,
        deps.leaseSeconds,
      );
    },
  };
}
