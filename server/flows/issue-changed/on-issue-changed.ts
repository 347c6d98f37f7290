/**
 * Linear → Kommo: a linked issue changed (webhook or reconciliation). The deal card's cached
 * status follows the newest version; the deal gets one note per change (completed, canceled,
 * reassigned, moved, deleted), however often the change is delivered, and its "Linear issue"
 * field follows a new identifier. A completion or cancellation also brings the follow-ups the
 * installation configured (a task for the manager, a stage move), once per transition.
 */
import { toLanguage } from '../../../shared/kommo';
import { notedOf, type IssueSnapshot, type NotedState } from '../../domain/issue-snapshot';
import { followUpsFor } from '../../domain/follow-ups';
import { notesFor } from '../../domain/issue-notes';
import type { DealLink } from '../../domain/link';
import { noteTexts } from '../../domain/note-texts';
import { AppError } from '../../errors';
import { holdLease } from '../held-lease';
import type { IssueChange, IssueChangeDeps } from './deps';
import { postPendingNotes } from './pending-notes';

/**
 * A change made right after the issue was created arrives while the Won job still holds the lease
 * (its write-backs take a few Kommo calls): waiting for the release gets it to the card then, not
 * seconds later on a retry. Only a lease held far longer (a stuck run) sends the job back to the queue.
 */
const LEASE_WAIT_MS = 15_000;

export async function onIssueChanged(deps: IssueChangeDeps, change: IssueChange, runId: string, leaseSeconds: number): Promise<void> {
  const links = await deps.links.listForIssue(deps.installation.id, change.issueId);
  for (const link of links) {
    const snapshot = change.snapshot ?? link.issue;
    if (!snapshot) continue;
    if (tellsNothingNew(link, snapshot, change.deleted)) {
      // Most deliveries change what the card shows (a title, a priority, a due date) and nothing
      // the deal is told: the cached issue is replaced in place, unless a newer one is stored, with
      // no note or field to write, so the lease (held by a Won job's write-backs, say) is not awaited.
      await deps.links.updateSnapshot(link.id, snapshot, change.deleted);
      continue;
    }
    if (!(await deps.links.awaitLease(link.id, runId, leaseSeconds, LEASE_WAIT_MS))) {
      throw new AppError('conflict', `Another worker is updating the deal of ${snapshot.identifier}`, { retryable: true, retryAfterMs: 2000 });
    }
    const lease = holdLease(deps.links, link.id, runId, leaseSeconds);
    try {
      await applyToLink(deps, link, { ...change, snapshot });
      const fresh = await deps.links.findById(deps.installation.id, link.id);
      if (fresh) await postPendingNotes(deps, fresh, lease);
    } finally {
      await lease.release();
    }
  }
}

async function applyToLink(deps: IssueChangeDeps, link: DealLink, change: IssueChange & { snapshot: IssueSnapshot }): Promise<void> {
  const { snapshot } = change;
  await deps.links.updateSnapshot(link.id, snapshot, change.deleted);
  const now = { ...notedOf(snapshot, change.deleted), assigneeName: snapshot.assignee?.name ?? null, stateName: snapshot.state?.name ?? null };
  const target: NotedState = notedOf(snapshot, change.deleted);
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = attempt === 0 ? link : await deps.links.findById(deps.installation.id, link.id);
    if (!current) return;
    const before = current.noted;
    // An older version than the one already told (out-of-order delivery) changes nothing.
    if (before && before.updatedAt > snapshot.updatedAt) return;
    if (before && sameState(before, target)) return;
    const language = deps.installation.settings.language ?? toLanguage((await deps.referenceData.account()).language);
    const { settings } = deps.installation;
    const notes =
      !before || change.byUs
        ? []
        : [...notesFor(before, now, noteTexts(language), settings.notes), ...followUpsFor(before, target, snapshot.title, language, settings.followUp)];
    if (await deps.links.advanceNoted(current.id, before, target, notes)) {
      if (before && before.identifier !== target.identifier) await writeNewIdentifier(deps, current, target.identifier);
      if (notes.length > 0) deps.log.info({ leadId: current.leadId, issue: target.identifier, notes: notes.map((n) => n.key) }, 'notes queued');
      return;
    }
  }
  throw new AppError('conflict', 'The link kept changing under us; will retry', { retryable: true });
}

/** The deal has been told this state already and owes no note: only the card's cache changes. */
function tellsNothingNew(link: DealLink, snapshot: IssueSnapshot, deleted: boolean): boolean {
  return link.noted !== null && link.pendingNotes.length === 0 && sameState(link.noted, notedOf(snapshot, deleted));
}

function sameState(a: NotedState, b: NotedState): boolean {
  return a.identifier === b.identifier && a.stateType === b.stateType && a.assigneeId === b.assigneeId && a.deleted === b.deleted;
}

async function writeNewIdentifier(deps: IssueChangeDeps, link: DealLink, identifier: string): Promise<void> {
  if (link.origin === 'manual') return;
  const field = await deps.referenceData.leadField(deps.installation.settings.fields.issue, true);
  if (field) await deps.kommo.setLeadField(link.leadId, field.id, identifier);
}
