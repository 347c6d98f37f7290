/**
 * Posts the notes and follow-ups (tasks, stage moves) a link owes its deal, in order. A note or
 * task whose earlier attempt had an unknown outcome is looked up in the deal before it is posted
 * again, so each appears exactly once; a stage move is idempotent and is simply repeated.
 */
import { addWorkingHours } from '../../domain/follow-ups';
import type { DealLink, PendingNote } from '../../domain/link';
import type { HeldLease } from '../held-lease';
import type { PendingNotesDeps } from './deps';

const LOOKBACK_SECONDS = 120;

/** `lease`: the run's hold on the link, checked before each delivery (another run must not post the same note). */
export async function postPendingNotes(deps: PendingNotesDeps, link: DealLink, lease: Pick<HeldLease, 'assertHeld'>): Promise<void> {
  let pending: PendingNote[] = [...link.pendingNotes];
  while (pending.length > 0) {
    const [note, ...rest] = pending as [PendingNote, ...PendingNote[]];
    const since = note.attemptedAt ? Math.floor(new Date(note.attemptedAt).getTime() / 1000) - LOOKBACK_SECONDS : undefined;
    let due: Date | null = null;
    const done = await alreadyDone(deps, link.leadId, note, since);
    if (!done) {
      await lease.assertHeld();
      await deps.links.setPendingNotes(link.id, [{ ...note, attemptedAt: new Date().toISOString() }, ...rest]);
      due = (await deliver(deps, link.leadId, note)) ?? null;
    }
    if (note.action?.kind === 'task') await deps.links.setLastTask(link.id, { text: note.text, due: due?.toISOString() ?? null, at: new Date().toISOString() });
    pending = rest;
    await deps.links.setPendingNotes(link.id, pending);
  }
}

async function alreadyDone(deps: PendingNotesDeps, leadId: number, note: PendingNote, since: number | undefined): Promise<boolean> {
  if (since === undefined || note.action?.kind === 'stage') return false;
  const found = note.action?.kind === 'task' ? await deps.kommo.listLeadTasks(leadId, since) : await deps.kommo.listLeadNotes(leadId, since);
  return found.some((n) => n.text === note.text);
}

/** Posts one note, task or stage move; a task answers when it is due. */
async function deliver(deps: PendingNotesDeps, leadId: number, note: PendingNote): Promise<Date | void> {
  const { action } = note;
  if (!action) return deps.kommo.addLeadNote(leadId, note.text);
  if (action.kind === 'stage') return deps.kommo.moveLead(leadId, action.pipelineId, action.statusId);
  // The deal's responsible user now, not when the issue was created: the deal may have changed hands.
  const [lead, account] = await Promise.all([deps.kommo.getLead(leadId), deps.referenceData.account()]);
  const timezone = account._embedded?.datetime_settings?.timezone ?? undefined;
  const due = addWorkingHours(new Date(), action.dueInWorkingHours, timezone);
  await deps.kommo.addLeadTask({
    leadId,
    responsibleUserId: lead.responsible_user_id ?? undefined,
    text: note.text,
    completeTill: Math.floor(due.getTime() / 1000),
    taskTypeId: action.taskTypeId,
  });
  return due;
}
