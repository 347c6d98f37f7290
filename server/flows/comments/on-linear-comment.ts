/**
 * Linear → Kommo: a new comment on a linked issue becomes one note in each linked deal ("Anna in
 * Linear: …", Markdown as plain text, a reply naming whom it answers). A comment we made from a
 * deal note is not sent back. Each note is claimed per comment and link, stamped as started
 * under the link's lease before it is posted and looked up in the deal before a second attempt,
 * so replays, duplicates and retries after a lost answer never post it twice.
 */
import { toLanguage } from '../../../shared/kommo';
import { noteTextForComment } from '../../domain/comment-texts';
import { clip, markdownToText } from '../../domain/markdown-text';
import type { CommentMirror } from '../../domain/comment-mirror';
import type { DealLink } from '../../domain/link';
import { AppError } from '../../errors';
import { holdLease } from '../held-lease';
import type { LinearCommentDeps, LinearCommentEvent } from './deps';

/** A Won job's write-backs hold the link's lease for a few Kommo calls; waiting beats a retry. */
const LEASE_WAIT_MS = 15_000;
/** How far before the stamp a note of an attempt with a lost answer is looked for. */
const LOOKBACK_SECONDS = 120;
/** The card shows the start of the last comment; the note in the deal has all of it. */
const CARD_CHARS = 500;

export async function onLinearComment(deps: LinearCommentDeps, event: LinearCommentEvent, runId: string, leaseSeconds: number): Promise<void> {
  const { installation } = deps;
  if (!installation.settings.comments.enabled) return;
  if (await deps.mirrors.isOurComment(installation.id, event.commentId)) {
    deps.log.info({ commentId: event.commentId }, 'our own comment came back from Linear; nothing to post');
    return;
  }
  const links = await deps.links.listForIssue(installation.id, event.issueId);
  if (links.length === 0) return;
  const author = (await authorName(deps, event.authorName, event.userId)) ?? null;
  const text = await noteText(deps, event, author ?? undefined);
  const cardText = clip(markdownToText(event.body), CARD_CHARS);
  for (const link of links) {
    const mirror = await deps.mirrors.claim({
      installationId: installation.id,
      linkId: link.id,
      leadId: link.leadId,
      origin: 'linear',
      linearCommentId: event.commentId,
      author,
      text,
    });
    if (mirror.doneAt) continue;
    await postOnce(deps, link, mirror, runId, leaseSeconds);
    await deps.mirrors.setLastComment(link.id, { author: author ?? '', text: cardText, at: event.createdAt ?? new Date().toISOString() });
  }
}

async function postOnce(deps: LinearCommentDeps, link: DealLink, claimed: CommentMirror, runId: string, leaseSeconds: number): Promise<void> {
  if (!(await deps.links.awaitLease(link.id, runId, leaseSeconds, LEASE_WAIT_MS))) {
    throw new AppError('conflict', `Another worker is updating deal ${link.leadId}`, { retryable: true, retryAfterMs: 2000 });
  }
  const lease = holdLease(deps.links, link.id, runId, leaseSeconds);
  try {
    // Another run may have posted it between the claim and the lease.
    const mirror = (await deps.mirrors.find(claimed.id)) ?? claimed;
    if (mirror.doneAt) return;
    if (mirror.startedAt) {
      const since = Math.floor(mirror.startedAt.getTime() / 1000) - LOOKBACK_SECONDS;
      const found = (await deps.kommo.listLeadNotes(link.leadId, since)).find((n) => n.text === mirror.text);
      if (found) {
        await deps.mirrors.markDone(mirror.id, found.id);
        return;
      }
    }
    await lease.assertHeld();
    await deps.mirrors.markStarted(mirror.id);
    const noteId = await deps.kommo.postLeadNote(link.leadId, mirror.text);
    await deps.mirrors.markDone(mirror.id, noteId);
    deps.log.info({ leadId: link.leadId, commentId: mirror.linearCommentId }, 'Linear comment posted as a deal note');
  } finally {
    await lease.release();
  }
}

async function noteText(deps: LinearCommentDeps, event: LinearCommentEvent, author: string | undefined): Promise<string> {
  const { installation } = deps;
  const language = installation.settings.language ?? toLanguage((await deps.referenceData.account()).language);
  const isReply = event.parentId !== undefined;
  const parentAuthor = isReply
    ? ((event.parentId ? await deps.mirrors.authorOf(installation.id, event.parentId) : undefined) ?? (await authorName(deps, undefined, event.parentUserId)))
    : undefined;
  return noteTextForComment({ author: author ?? null, body: event.body, isReply, parentAuthor }, language);
}

/** The payload's name, else the Linear user's (cached list, reloaded by the reference data when stale). */
async function authorName(deps: LinearCommentDeps, given: string | undefined, userId: string | undefined): Promise<string | undefined> {
  if (given?.trim()) return given.trim();
  if (!userId) return undefined;
  const user = (await deps.referenceData.linearUsers()).find((u) => u.id === userId);
  return user?.name;
}
