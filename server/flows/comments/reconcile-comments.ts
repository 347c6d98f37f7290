/**
 * Recovery of missed Linear Comment webhooks (Linear gives up on a delivery after a few retries,
 * and none arrives while we are down): the comments made on linked issues since the last
 * reconciliation go through the webhook's own flow, whose claim per comment and link keeps each
 * to one note however often it is seen. Only new comments count: an edit is never repeated.
 */
import type { LinearPort } from '../ports';
import type { LinearCommentDeps } from './deps';
import { onLinearComment } from './on-linear-comment';

export type ReconcileCommentsDeps = LinearCommentDeps & { linear: Pick<LinearPort, 'commentsSince'> };

/** `since`: ISO; returns how many comments Linear listed. */
export async function reconcileComments(deps: ReconcileCommentsDeps, issueIds: string[], since: string, runId: string, leaseSeconds: number): Promise<number> {
  if (!deps.installation.settings.comments.enabled || issueIds.length === 0) return 0;
  const comments = await deps.linear.commentsSince(issueIds, since);
  for (const comment of comments) {
    if (!comment.issue) continue;
    await onLinearComment(
      deps,
      {
        commentId: comment.id,
        issueId: comment.issue.id,
        body: comment.body,
        authorName: comment.user?.name,
        userId: comment.user?.id,
        parentId: comment.parent?.id,
        parentUserId: comment.parent?.user?.id ?? undefined,
        createdAt: comment.createdAt,
      },
      runId,
      leaseSeconds,
    );
  }
  return comments.length;
}
