/**
 * Posts the notes a link owes its deal. A note whose earlier attempt had an unknown outcome is
 * looked up in the deal before it is posted again, so each note appears exactly once.
 */
import type { DealLink, PendingNote } from '../../domain/link';
import type { PendingNotesDeps } from './deps';

const LOOKBACK_SECONDS = 120;

export async function postPendingNotes(deps: PendingNotesDeps, link: DealLink): Promise<void> {
  let pending: PendingNote[] = [...link.pendingNotes];
  while (pending.length > 0) {
    const [note, ...rest] = pending as [PendingNote, ...PendingNote[]];
    let posted = false;
    if (note.attemptedAt) {
      const since = Math.floor(new Date(note.attemptedAt).getTime() / 1000) - LOOKBACK_SECONDS;
      posted = (await deps.kommo.listLeadNotes(link.leadId, since)).some((n) => n.text === note.text);
    }
    if (!posted) {
      await deps.links.setPendingNotes(link.id, [{ ...note, attemptedAt: new Date().toISOString() }, ...rest]);
      await deps.kommo.addLeadNote(link.leadId, note.text);
    }
    pending = rest;
    await deps.links.setPendingNotes(link.id, pending);
  }
}
