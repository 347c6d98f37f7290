/**
 * Kommo → Linear: a deal note that starts with the installation's prefix (`#linear`) becomes one
 * comment on each issue linked to the deal, prefix stripped, attributed to the note's author
 * ("Ivan in Kommo: …"). The webhook is unsigned, so the note is re-read from Kommo and only its
 * stored text counts. A note we posted from a Linear comment is not sent back. The comment's id is
 * ours, stored before `commentCreate`: a retry reuses it, and Linear refuses a second comment
 * with it, so no lease is needed for exactly one comment.
 */
import { commentBodyForNote, stripPrefix } from '../../domain/comment-texts';
import type { KommoNoteDeps } from './deps';

export async function onKommoNote(deps: KommoNoteDeps, event: { leadId: number; noteId: number }): Promise<void> {
  const { installation, log } = deps;
  const { enabled, prefix } = installation.settings.comments;
  if (!enabled) return;
  const note = await deps.kommo.getLeadNote(event.leadId, event.noteId);
  if (!note || (note.note_type && note.note_type !== 'common')) {
    log.info(event, 'the note of a webhook is not a text note in that deal; nothing to comment');
    return;
  }
  const storedText = note.params?.text ?? '';
  const text = stripPrefix(storedText, prefix);
  if (text === undefined) return;
  if (await deps.mirrors.isOurNote(installation.id, event.leadId, event.noteId, storedText)) return;
  const links = (await deps.links.listForLead(installation.id, event.leadId)).filter((l) => l.status === 'linked' && l.issueCreatedAt !== null);
  if (links.length === 0) {
    log.info(event, 'a note for Linear in a deal without a linked issue; nothing to comment');
    return;
  }
  const user = note.created_by ? await deps.referenceData.kommoUser(note.created_by) : undefined;
  const author = user?.name?.trim() || 'A Kommo user';
  const body = commentBodyForNote(author, text);
  for (const link of links) {
    const mirror = await deps.mirrors.claim({
      installationId: installation.id,
      linkId: link.id,
      leadId: link.leadId,
      origin: 'kommo',
      kommoNoteId: event.noteId,
      author: `${author} (Kommo)`,
      text: body,
    });
    if (mirror.doneAt) continue;
    await deps.mirrors.markStarted(mirror.id);
    // With OAuth (`actor=app`) Linear shows the Kommo user as the author; a personal key drops it.
    await deps.linear.createCommentWithId({ id: mirror.linearCommentId, issueId: link.linearIssueId, body: mirror.text, createAsUser: mirror.author ?? `${author} (Kommo)` });
    await deps.mirrors.markDone(mirror.id);
    log.info({ leadId: link.leadId, noteId: event.noteId, commentId: mirror.linearCommentId }, 'deal note posted as a Linear comment');
  }
}
