/**
 * Deal ↔ issue links. The row is claimed (with a pre-generated Linear issue UUID) before any
 * Linear call, and each write-back step is stamped, so a crash resumes where it stopped.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notedOf, type IssueSnapshot, type NotedState } from '../../domain/issue-snapshot';
import type { ClaimInput, DealLink, LinkStep, LinkTask, LinkTrigger, LinkWarning, PendingNote } from '../../domain/link';
import type { DbOrTrx } from '../create-db';
import { parseRow } from '../rows';
import { LEASE_POLL_MS, leaseMayBeFree, signalLeaseReleased } from './lease-signals';
import { snapshotColumns, toLink } from './link-rows';

const SettledRows = z.array(z.object({ lead_id: z.coerce.number(), link_key: z.string() }));

/** The error columns of a link that has no problem (any more). */
const NO_ERROR = { error_code: null, error_message: null, error_retryable: null };

const STEP_COLUMN: Record<LinkStep, string> = {
  attachment: 'attachment_done_at',
  field: 'field_done_at',
  noteStarted: 'note_started_at',
  note: 'note_done_at',
};

export const linksRepo = {
  /** Creates the link row if absent (unique per installation + lead + key) and returns it. */
  async claim(db: DbOrTrx, input: ClaimInput): Promise<DealLink> {
    await db('deal_links')
      .insert({
        id: randomUUID(),
        installation_id: input.installationId,
        lead_id: input.leadId,
        link_key: input.linkKey,
        origin: input.origin,
        status: 'creating',
        linear_issue_id: randomUUID(),
        requested_at: input.requestedAt ?? db.fn.now(),
        ...(input.trigger ? { trigger: JSON.stringify(input.trigger) } : {}),
      })
      .onConflict(['installation_id', 'lead_id', 'link_key'])
      .ignore();
    const row = await db('deal_links')
      .where({ installation_id: input.installationId, lead_id: input.leadId, link_key: input.linkKey })
      .first();
    return toLink(row);
  },

  async find(db: DbOrTrx, installationId: string, leadId: number, linkKey: string): Promise<DealLink | undefined> {
    const row = await db('deal_links').where({ installation_id: installationId, lead_id: leadId, link_key: linkKey }).first();
    return row ? toLink(row) : undefined;
  },

  async findById(db: DbOrTrx, installationId: string, id: string): Promise<DealLink | undefined> {
    const row = await db('deal_links').where({ installation_id: installationId, id }).first();
    return row ? toLink(row) : undefined;
  },

  /**
   * Which of `wanted` (lead and link key) are settled: linked, or unlinked on purpose. A Won event
   * for one of those changes nothing, so the intake answers it without queueing a job.
   */
  async settledKeys(db: DbOrTrx, installationId: string, wanted: Array<{ leadId: number; linkKey: string }>): Promise<Set<string>> {
    if (wanted.length === 0) return new Set();
    const rows = (await db('deal_links')
      .select('lead_id', 'link_key')
      .where({ installation_id: installationId })
      .whereIn('lead_id', [...new Set(wanted.map((w) => w.leadId))])
      .whereIn('status', ['linked', 'unlinked'])) as unknown[];
    const settled = new Set(parseRow(SettledRows, rows, 'deal_links').map((r) => `${r.lead_id}:${r.link_key}`));
    return new Set(wanted.map((w) => `${w.leadId}:${w.linkKey}`).filter((key) => settled.has(key)));
  },

  /** Links shown on a deal card: everything but unlinked, oldest first. */
  async listForLead(db: DbOrTrx, installationId: string, leadId: number): Promise<DealLink[]> {
    const rows = await db('deal_links')
      .where({ installation_id: installationId, lead_id: leadId })
      .whereNot({ status: 'unlinked' })
      .orderBy('created_at');
    return rows.map(toLink);
  },

  async markIssueCreated(
    db: DbOrTrx,
    id: string,
    issue: IssueSnapshot,
    warnings: LinkWarning[],
    dealDeadline: string | null = null,
    noteStarted = false,
    trigger?: LinkTrigger,
  ): Promise<void> {
    await db('deal_links')
      .where({ id })
      .update({
        ...snapshotColumns(issue),
        ...(dealDeadline ? { deal_deadline: dealDeadline } : {}),
        ...(noteStarted ? { note_started_at: db.fn.now() } : {}),
        ...(trigger ? { trigger: JSON.stringify(trigger) } : {}),
        noted: db.raw('coalesce(noted, ?::jsonb)', [JSON.stringify(notedOf(issue))]),
        issue_created_at: db.fn.now(),
        synced_at: db.fn.now(),
        warnings: JSON.stringify(warnings),
        updated_at: db.fn.now(),
      });
  },

  async markStep(db: DbOrTrx, id: string, step: LinkStep): Promise<void> {
    await db('deal_links')
      .where({ id })
      .update({ [STEP_COLUMN[step]]: db.fn.now(), updated_at: db.fn.now() });
  },

  async markLinked(db: DbOrTrx, id: string): Promise<void> {
    await db('deal_links').where({ id }).update({
      status: 'linked',
      ...NO_ERROR,
      completed_at: db.fn.now(),
      updated_at: db.fn.now(),
    });
  },

  async markProblem(
    db: DbOrTrx,
    id: string,
    status: 'retrying' | 'failed',
    error: { code: string; message: string; retryable: boolean },
  ): Promise<void> {
    await db('deal_links').where({ id }).update({
      status,
      error_code: error.code,
      error_message: error.message,
      error_retryable: error.retryable,
      updated_at: db.fn.now(),
    });
  },

  /** True when `owner` now holds the link for `seconds` (or already held it). */
  async acquireLease(db: DbOrTrx, id: string, owner: string, seconds: number): Promise<boolean> {
    const updated = await db('deal_links')
      .where({ id })
      .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', db.fn.now()).orWhere({ lease_owner: owner }))
      .update({ lease_owner: owner, lease_until: db.raw(`now() + (? * interval '1 second')`, [seconds]) });
    return Number(updated) === 1;
  },

  async releaseLease(db: DbOrTrx, id: string, owner: string): Promise<void> {
    await db('deal_links').where({ id, lease_owner: owner }).update({ lease_owner: null, lease_until: null });
    signalLeaseReleased(id);
  },

  /** The lease as soon as its holder releases it (at once in this process), if within `maxWaitMs`. */
  async awaitLease(db: DbOrTrx, id: string, owner: string, seconds: number, maxWaitMs: number): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      if (await linksRepo.acquireLease(db, id, owner, seconds)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await leaseMayBeFree(id, Math.min(LEASE_POLL_MS, left));
    }
  },

  /**
   * Links an existing Linear issue to a deal (the widget's "Link existing"): one row per deal and
   * issue, reactivated if it was unlinked before. Returns the link.
   */
  async linkExisting(
    db: DbOrTrx,
    input: { installationId: string; leadId: number; issueId: string; issue: IssueSnapshot },
  ): Promise<DealLink> {
    const linkKey = `manual:${input.issueId}`;
    const values = {
      ...snapshotColumns(input.issue),
      noted: JSON.stringify(notedOf(input.issue)),
      status: 'linked',
      issue_deleted: false,
      issue_created_at: db.fn.now(),
      attachment_done_at: db.fn.now(),
      field_done_at: db.fn.now(),
      note_done_at: db.fn.now(),
      synced_at: db.fn.now(),
      completed_at: db.fn.now(),
      updated_at: db.fn.now(),
    };
    await db('deal_links')
      .insert({
        id: randomUUID(),
        installation_id: input.installationId,
        lead_id: input.leadId,
        link_key: linkKey,
        origin: 'manual',
        linear_issue_id: input.issueId,
        ...values,
      })
      .onConflict(['installation_id', 'lead_id', 'link_key'])
      .merge(values);
    const row = await db('deal_links').where({ installation_id: input.installationId, lead_id: input.leadId, link_key: linkKey }).first();
    return toLink(row);
  },

  /** Hides a link from the card; its history stays. A later Won or link may bring it back. */
  async markUnlinked(db: DbOrTrx, id: string): Promise<void> {
    await db('deal_links').where({ id }).update({ status: 'unlinked', updated_at: db.fn.now() });
  },

  /** Active links (any deal) of one Linear issue. */
  async listForIssue(db: DbOrTrx, installationId: string, issueId: string): Promise<DealLink[]> {
    const rows = await db('deal_links')
      .where({ installation_id: installationId, linear_issue_id: issueId })
      .whereIn('status', ['linked', 'creating', 'retrying'])
      .whereNotNull('issue_created_at');
    return rows.map(toLink);
  },

  /** Links still to be created (creating or retrying), oldest first. */
  async listWaiting(db: DbOrTrx, installationId: string): Promise<DealLink[]> {
    const rows = await db('deal_links').where({ installation_id: installationId }).whereIn('status', ['creating', 'retrying']).orderBy('requested_at');
    return rows.map(toLink);
  },

  /** Links whose creation failed for good (the CLI's replay). */
  async listFailed(db: DbOrTrx, installationId: string): Promise<DealLink[]> {
    const rows = await db('deal_links').where({ installation_id: installationId, status: 'failed' });
    return rows.map(toLink);
  },

  async hasIssue(db: DbOrTrx, installationId: string, issueId: string): Promise<boolean> {
    const row = await db('deal_links').where({ installation_id: installationId, linear_issue_id: issueId }).whereNot({ status: 'unlinked' }).first('id');
    return row !== undefined;
  },

  /** Issue ids of every active link, and the links that still owe the deal a note. */
  async listForReconcile(db: DbOrTrx, installationId: string): Promise<{ issueIds: string[]; withPending: DealLink[] }> {
    const ids = await db('deal_links')
      .distinct('linear_issue_id')
      .where({ installation_id: installationId, status: 'linked', issue_deleted: false });
    const pending = await db('deal_links')
      .where({ installation_id: installationId })
      .whereNot({ status: 'unlinked' })
      .whereRaw(`jsonb_array_length(pending_notes) > 0`);
    const issueIds = parseRow(z.array(z.object({ linear_issue_id: z.string() })), ids, 'deal_links').map((r) => r.linear_issue_id);
    return { issueIds, withPending: pending.map(toLink) };
  },

  /** Refreshes the cached issue unless what is stored is newer (out-of-order deliveries). */
  async updateSnapshot(db: DbOrTrx, id: string, issue: IssueSnapshot, deleted: boolean): Promise<boolean> {
    const updated = await db('deal_links')
      .where({ id })
      .andWhere((q) => q.whereNull('issue_updated_at').orWhere('issue_updated_at', '<=', issue.updatedAt))
      .update({ ...snapshotColumns(issue), issue_deleted: deleted, synced_at: db.fn.now(), updated_at: db.fn.now() });
    return Number(updated) === 1;
  },

  /**
   * Moves the noted state forward and queues the notes that describe the move, in one
   * compare-and-set: false when another run changed `noted` first (re-read and decide again).
   */
  async advanceNoted(db: DbOrTrx, id: string, from: NotedState | null, to: NotedState, notes: PendingNote[]): Promise<boolean> {
    const updated = await db('deal_links')
      .where({ id })
      .andWhereRaw(from === null ? 'noted is null' : 'noted = ?::jsonb', from === null ? [] : [JSON.stringify(from)])
      .update({
        noted: JSON.stringify(to),
        pending_notes: db.raw(`pending_notes || ?::jsonb`, [JSON.stringify(notes)]),
        updated_at: db.fn.now(),
      });
    return Number(updated) === 1;
  },

  async setLastTask(db: DbOrTrx, id: string, task: LinkTask): Promise<void> {
    await db('deal_links').where({ id }).update({ last_task: JSON.stringify(task) });
  },

  async setPendingNotes(db: DbOrTrx, id: string, notes: PendingNote[]): Promise<void> {
    await db('deal_links').where({ id }).update({ pending_notes: JSON.stringify(notes), updated_at: db.fn.now() });
  },

  async remove(db: DbOrTrx, id: string): Promise<void> {
    await db('deal_links').where({ id }).delete();
  },

  async countAttempt(db: DbOrTrx, id: string): Promise<void> {
    await db('deal_links').where({ id }).increment('attempts', 1);
  },

  /** Puts a failed or retrying link back to creating (widget Retry). */
  async resetForRetry(db: DbOrTrx, id: string): Promise<void> {
    await db('deal_links').where({ id }).update({
      status: 'creating',
      ...NO_ERROR,
      updated_at: db.fn.now(),
    });
  },
};
