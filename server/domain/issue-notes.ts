/**
 * Which notes a change of a linked issue deserves, comparing what the deal was last told with the
 * issue now. Pure: the flow stores the result atomically, then posts it.
 */
import type { NotedState } from './issue-snapshot';
import type { PendingNote } from './link';
import type { NoteTexts } from './note-texts';
import type { InstallationSettings } from './settings';

const CANCELED = new Set(['canceled', 'duplicate']);

export interface IssueNow extends NotedState {
  assigneeName: string | null;
  stateName: string | null;
}

export function notesFor(
  before: NotedState,
  now: IssueNow,
  texts: NoteTexts,
  enabled: InstallationSettings['notes'],
): PendingNote[] {
  const notes: PendingNote[] = [];
  const add = (kind: string, text: string) => notes.push({ key: `${kind}:${now.updatedAt}`, text });
  if (now.identifier !== before.identifier && enabled.identifierChanged) add('moved', texts.moved(before.identifier, now.identifier));
  if (now.deleted && !before.deleted) {
    if (enabled.deleted) add('deleted', texts.deleted(now.identifier));
    return notes;
  }
  // Reassignment before closing: when one delivery carries both, the deal reads them in the order they happen.
  if (now.assigneeId !== before.assigneeId && enabled.reassigned) add('assigned', texts.assigned(now.identifier, now.assigneeName));
  if (now.stateType === 'completed' && before.stateType !== 'completed' && enabled.completed) {
    add('completed', texts.completed(now.identifier, now.assigneeName));
  }
  if (now.stateType !== null && CANCELED.has(now.stateType) && !CANCELED.has(before.stateType ?? '') && enabled.canceled) {
    const duplicate = now.stateType === 'duplicate' || /duplicate/i.test(now.stateName ?? '');
    add('canceled', texts.canceled(now.identifier, duplicate));
  }
  return notes;
}
