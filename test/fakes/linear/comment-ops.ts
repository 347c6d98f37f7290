import { authorshipOf, type FakeActor } from './actor';
import { entityNotFound, inputError, LinearApiError } from './errors';
import type { CommentCreateFields } from './inputs';
import type { FakeLinearStore } from './store';
import type { CommentRecord } from './types';
import { UUID_V4, newId, nowIso } from './util';

/**
 * Linear answers a taken comment id with HTTP 200, `data: null` and "conflict on insert of
 * Comment" (INPUT_ERROR, the id in userPresentableMessage), unlike issueCreate's 400.
 */
function conflict(id: string): LinearApiError {
  return new LinearApiError(
    'conflict on insert of Comment',
    { code: 'INPUT_ERROR', type: 'invalid input', userError: true, userPresentableMessage: `A comment with id ${id} already exists.` },
    200,
  );
}

export function createComment(store: FakeLinearStore, input: CommentCreateFields, actorId: string | null, actor?: FakeActor): CommentRecord {
  const authorship = authorshipOf(actor ?? 'apiKey', input);
  if (input.id != null && !UUID_V4.test(input.id)) throw inputError('id must be a UUID v4', 'The id must be a UUID.');
  if (input.id != null && store.commentsById.has(input.id)) throw conflict(input.id);
  if (!input.issueId) throw inputError('issueId is required for an issue comment', 'The comment needs an issue.');
  const issue = store.findIssue(input.issueId);
  if (!issue) throw entityNotFound('Issue');
  if (!input.body || !input.body.trim()) throw inputError('body must not be empty', 'The comment is empty.');
  const parent = input.parentId ? store.commentsById.get(input.parentId) : undefined;
  if (input.parentId && (!parent || parent.issueId !== issue.id)) throw entityNotFound('Comment');
  const at = nowIso();
  const comment: CommentRecord = {
    id: input.id ?? newId(),
    issueId: issue.id,
    body: input.body,
    userId: actorId,
    parentId: parent?.id ?? null,
    ...authorship,
    createdAt: at,
    updatedAt: at,
    editedAt: null,
  };
  store.commentsById.set(comment.id, comment);
  store.emitCommentChange({ action: 'create', comment, actorId });
  return comment;
}

/** An edit, as a person makes it in Linear: the body changes, `editedAt` is set, an update webhook follows. */
export function updateComment(store: FakeLinearStore, id: string, body: string, actorId: string | null): CommentRecord {
  const comment = store.commentsById.get(id);
  if (!comment) throw entityNotFound('Comment');
  if (!body.trim()) throw inputError('body must not be empty', 'The comment is empty.');
  const at = nowIso();
  const previousBody = comment.body;
  comment.body = body;
  comment.updatedAt = at;
  comment.editedAt = at;
  store.emitCommentChange({ action: 'update', comment, actorId, previousBody });
  return comment;
}
