import type { FakeLinearStore } from './store';
import type { CommentChange, CommentRecord } from './types';

function userChild(store: FakeLinearStore, id: string | null): Record<string, unknown> | undefined {
  const user = id ? store.usersById.get(id) : undefined;
  return user ? { id: user.id, name: user.name, email: user.email, avatarUrl: user.avatarUrl, url: user.url } : undefined;
}

/** `data` of a Comment webhook, shaped like the schema's `CommentWebhookPayload`. */
export function commentWebhookData(store: FakeLinearStore, comment: CommentRecord): Record<string, unknown> {
  const issue = store.issuesById.get(comment.issueId);
  const team = issue ? store.teamsById.get(issue.teamId) : undefined;
  const parent = comment.parentId ? store.commentsById.get(comment.parentId) : undefined;
  const user = userChild(store, comment.userId);
  return {
    id: comment.id,
    body: comment.body,
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
    archivedAt: null,
    editedAt: comment.editedAt,
    issueId: comment.issueId,
    ...(issue && team
      ? { issue: { id: issue.id, identifier: issue.identifier, title: issue.title, url: issue.url, teamId: team.id, team: { id: team.id, key: team.key, name: team.name } } }
      : {}),
    parentId: comment.parentId,
    ...(parent ? { parent: { id: parent.id, body: parent.body, issueId: parent.issueId, userId: parent.userId } } : {}),
    userId: comment.userId,
    ...(user ? { user } : {}),
    reactionData: {},
    botActor: null,
  };
}

/** The `EntityWebhookPayload` envelope of a comment change; `webhookTimestamp` is stamped at send time. */
export function commentWebhookEnvelope(store: FakeLinearStore, change: CommentChange, webhookId: string): Record<string, unknown> {
  const actor = change.actorId ? store.usersById.get(change.actorId) : undefined;
  const issue = store.issuesById.get(change.comment.issueId);
  return {
    action: change.action,
    type: 'Comment',
    ...(actor
      ? { actor: { id: actor.id, type: 'user', name: actor.name, email: actor.email, url: actor.url, avatarUrl: actor.avatarUrl } }
      : {}),
    createdAt: change.action === 'create' ? change.comment.createdAt : change.comment.updatedAt,
    data: commentWebhookData(store, change.comment),
    ...(change.action === 'update' ? { updatedFrom: { body: change.previousBody ?? null, updatedAt: change.comment.createdAt } } : {}),
    url: `${issue?.url ?? 'https://linear.app'}#comment-${change.comment.id.slice(0, 8)}`,
    organizationId: store.organization.id,
    webhookId,
    webhookTimestamp: Date.now(),
  };
}
