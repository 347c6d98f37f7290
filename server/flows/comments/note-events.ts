/**
 * Which note events of a Kommo webhook may become Linear comments: text notes starting with the
 * prefix, when the installation mirrors comments. The job confirms by re-reading the note.
 */
import { stripPrefix } from '../../domain/comment-texts';
import type { InstallationSettings } from '../../domain/settings';

export interface NoteEvent {
  noteId: number;
  leadId: number;
  text: string;
}

export function notesForLinear(notes: NoteEvent[], settings: InstallationSettings): NoteEvent[] {
  if (!settings.comments.enabled) return [];
  const seen = new Set<number>();
  return notes.filter((n) => stripPrefix(n.text, settings.comments.prefix) !== undefined && !seen.has(n.noteId) && seen.add(n.noteId));
}
