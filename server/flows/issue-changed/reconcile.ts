/**
 * Recovery of missed Linear webhooks: one batched query for the linked issues changed since the
 * last successful run, each applied like a webhook; notes still owed are posted. After an outage
 * every missed completion or reassignment still produces its note, once.
 */
import { holdLease } from '../held-lease';
import type { ReconcileDeps } from './deps';
import { onIssueChanged } from './on-issue-changed';
import { postPendingNotes } from './pending-notes';

/** Overlap with the previous run, so an update committed while it ran is not skipped. */
const OVERLAP_MS = 60_000;

export async function reconcile(deps: ReconcileDeps, runId: string, leaseSeconds: number): Promise<{ checked: number; changed: number; comments: number }> {
  const startedAt = new Date();
  const { issueIds, withPending } = await deps.links.listForReconcile(deps.installation.id);
  const since = deps.reconciledAt ? new Date(deps.reconciledAt.getTime() - OVERLAP_MS).toISOString() : undefined;
  const changed = issueIds.length === 0 ? [] : await deps.linear.issuesChangedSince(issueIds, since);
  for (const issue of changed) {
    await onIssueChanged(
      deps,
      { issueId: issue.id, snapshot: issue.snapshot, deleted: Boolean(issue.trashed) || Boolean(issue.archivedAt), byUs: false },
      runId,
      leaseSeconds,
    );
  }
  for (const link of withPending) {
    if (await deps.links.acquireLease(link.id, runId, leaseSeconds)) {
      const lease = holdLease(deps.links, link.id, runId, leaseSeconds);
      try {
        const fresh = await deps.links.findById(deps.installation.id, link.id);
        if (fresh) await postPendingNotes(deps, fresh, lease);
      } finally {
        await lease.release();
      }
    }
  }
  // A first run has missed nothing: it must not bring every old comment into the deals.
  const comments = since && deps.reconcileComments ? await deps.reconcileComments(issueIds, since) : 0;
  await deps.markReconciled(startedAt);
  return { checked: issueIds.length, changed: changed.length, comments };
}
