/** The job behind a verified Linear Comment webhook (a new comment on a linked issue). */
import { z } from 'zod';
import { bindDb } from '../db/bind';
import { commentMirrorsRepo } from '../db/repos/comment-mirrors';
import { onLinearComment } from '../flows/comments/on-linear-comment';
import type { CommentDelivery } from '../linear/comment-webhook';
import { loadInstallationContext, recordKommoRefusal, type InstallationJobDeps } from './installation-context';
import type { JobDefinition, Queue } from './queue';

export const LINEAR_COMMENT = 'linear-comment';

export const LinearCommentJobSchema = z.object({
  installationId: z.string().uuid(),
  commentId: z.string().min(1),
  issueId: z.string().min(1),
  body: z.string(),
  authorName: z.string().optional(),
  userId: z.string().optional(),
  parentId: z.string().optional(),
  parentUserId: z.string().optional(),
  createdAt: z.string().optional(),
});
export type LinearCommentJob = z.infer<typeof LinearCommentJobSchema>;

/** Queues one verified delivery; its id keys the job, so a replay queues nothing. */
export async function enqueueLinearComment(queue: Pick<Queue, 'send'>, installationId: string, delivery: CommentDelivery, deliveryId: string): Promise<void> {
  const { comment } = delivery;
  const author = comment.user?.name ?? comment.externalUser?.name ?? (comment.userId ? undefined : delivery.actorName);
  const job: LinearCommentJob = {
    installationId,
    commentId: delivery.commentId,
    issueId: delivery.issueId,
    body: comment.body,
    ...(author ? { authorName: author } : {}),
    ...(comment.userId ? { userId: comment.userId } : {}),
    ...(comment.parentId ? { parentId: comment.parentId } : {}),
    ...(comment.parent?.userId ? { parentUserId: comment.parent.userId } : {}),
    ...(comment.createdAt ? { createdAt: comment.createdAt } : {}),
  };
  await queue.send(LINEAR_COMMENT, job, { key: `linear-comment:${installationId}:${deliveryId}` });
}

export function linearCommentJob(deps: InstallationJobDeps): JobDefinition<typeof LinearCommentJobSchema> {
  return {
    name: LINEAR_COMMENT,
    schema: LinearCommentJobSchema,
    async handle(data, context) {
      const log = deps.log.child({ installationId: data.installationId, commentId: data.commentId, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, data.installationId, log);
      // While Kommo refuses the account the job ends; the comment stays in Linear (no note).
      if (!ctx || ctx.installation.kommoAccess) return;
      await onLinearComment(
        { ...ctx, mirrors: bindDb(commentMirrorsRepo, deps.db) },
        {
          commentId: data.commentId,
          issueId: data.issueId,
          body: data.body,
          authorName: data.authorName,
          userId: data.userId,
          parentId: data.parentId,
          parentUserId: data.parentUserId,
          createdAt: data.createdAt,
        },
        context.runId,
        deps.leaseSeconds,
      ).catch(async (error: unknown) => {
        if (!(await recordKommoRefusal(deps, ctx, error))) throw error;
      });
    },
  };
}
