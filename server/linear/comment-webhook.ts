/**
 * A verified `Comment` delivery, read loosely like an Issue one
 * (https://linear.app/developers/webhooks; `CommentWebhookPayload` in Linear's schema). Only
 * comments on issues matter here: project-update, initiative and document comments have no deal.
 */
import { z } from 'zod';
import { AppError } from '../errors';

/** The actions of a Comment event; only `create` posts anything (an edit is not repeated in the deal). */
const COMMENT_ACTIONS = ['create', 'update', 'remove'] as const;
export type CommentAction = (typeof COMMENT_ACTIONS)[number];

export const CommentDataSchema = z.object({
  id: z.string().min(1).max(128),
  body: z.string().max(200_000),
  issueId: z.string().min(1).max(128),
  parentId: z.string().min(1).max(128).nullish(),
  userId: z.string().nullish(),
  parent: z.object({ userId: z.string().nullish() }).nullish().catch(undefined),
  // Optional extras: a wrong shape is dropped, never a refusal.
  user: z.object({ id: z.string(), name: z.string() }).nullish().catch(undefined),
  externalUser: z.object({ name: z.string() }).nullish().catch(undefined),
  botActor: z.unknown().optional(),
  createdAt: z.string().nullish().catch(undefined),
});
export type CommentData = z.infer<typeof CommentDataSchema>;

export interface CommentDelivery {
  kind: 'comment';
  action: CommentAction;
  actorId: string | undefined;
  /** The actor's display name from the envelope, when the comment itself names no user. */
  actorName: string | undefined;
  commentId: string;
  issueId: string;
  comment: CommentData;
}

/**
 * Undefined for a comment that is not on an issue (no `issueId`) or an action we do not know:
 * acknowledged and ignored. A comment on an issue whose body is unreadable is refused with a 400
 * that names the field.
 */
export function readCommentDelivery(
  action: string,
  data: unknown,
  actor: { id: string; name?: string | null | undefined } | null | undefined,
): CommentDelivery | undefined {
  if (!(COMMENT_ACTIONS as readonly string[]).includes(action)) return undefined;
  // Without its id and issue there is nothing a deal could get: acknowledged like any other event.
  const base = z.object({ id: z.string().min(1).max(128), issueId: z.string().min(1) }).safeParse(data);
  if (!base.success) return undefined;
  const comment = CommentDataSchema.safeParse(data);
  if (!comment.success) {
    const issue = comment.error.issues[0];
    throw new AppError('bad_request', `Not a Linear Comment webhook: data.${issue?.path.join('.') || 'body'} is missing or invalid`, {
      field: `data.${issue?.path.join('.') ?? 'body'}`,
    });
  }
  return {
    kind: 'comment',
    action: action as CommentAction,
    actorId: actor?.id,
    actorName: actor?.name ?? undefined,
    commentId: comment.data.id,
    issueId: comment.data.issueId,
    comment: comment.data,
  };
}
