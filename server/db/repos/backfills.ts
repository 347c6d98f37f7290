/**
 * Backfill runs and the (deal, link key) items each found. Progress is counted from the links
 * themselves, so it is right whichever process (or crash) created them.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BACKFILL_STATUSES, BackfillCursorSchema, type BackfillCursor, type BackfillItem, type BackfillRange, type BackfillRun, type BackfillStatus } from '../../domain/backfill';
import { AppError } from '../../errors';
import type { DbOrTrx } from '../create-db';
import { integer, jsonb, nullableText, nullableTimestamp, parseRow, timestamp } from '../rows';

const RunRow = z.object({
  id: z.string(),
  installation_id: z.string(),
  since: timestamp,
  until: nullableTimestamp,
  status: z.enum(BACKFILL_STATUSES),
  listed: z.boolean(),
  cursor: jsonb(BackfillCursorSchema.nullable()).nullish().transform((v) => v ?? null),
  total: integer,
  done: integer,
  errors: integer,
  error_message: nullableText,
  created_at: timestamp,
  finished_at: nullableTimestamp,
});

function toRun(row: unknown): BackfillRun {
  const r = parseRow(RunRow, row, 'backfill_runs');
  return {
    id: r.id,
    installationId: r.installation_id,
    since: r.since,
    until: r.until,
    status: r.status,
    listed: r.listed,
    cursor: r.cursor,
    total: r.total,
    done: r.done,
    errors: r.errors,
    errorMessage: r.error_message,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

const Counts = z.object({ done: integer, errors: integer, total: integer });
const ItemRows = z.array(z.object({ lead_id: integer, link_key: z.string() }));

export const backfillsRepo = {
  /** A new running backfill; refused while another one of the installation runs. */
  async start(db: DbOrTrx, installationId: string, range: BackfillRange, cursor: BackfillCursor): Promise<BackfillRun> {
    const id = randomUUID();
    // The partial unique index (one running per installation) turns a second start into no row.
    const result = await db.raw(
      `insert into backfill_runs (id, installation_id, since, until, status, cursor) values (?, ?, ?, ?, 'running', ?::jsonb)
       on conflict (installation_id) where status = 'running' do nothing returning id`,
      [id, installationId, range.since, range.until, JSON.stringify(cursor)],
    );
    const inserted = parseRow(z.object({ rows: z.array(z.object({ id: z.string() })) }), result, 'backfill_runs').rows;
    if (inserted.length === 0) throw new AppError('conflict', 'A backfill is already running for this account; wait for it or cancel it first');
    return toRun(await db('backfill_runs').where({ id }).first());
  },

  async find(db: DbOrTrx, id: string): Promise<BackfillRun | undefined> {
    const row = await db('backfill_runs').where({ id }).first();
    return row ? toRun(row) : undefined;
  },

  /** The installation's running backfill, else its latest one. */
  async current(db: DbOrTrx, installationId: string): Promise<BackfillRun | undefined> {
    const row = await db('backfill_runs').where({ installation_id: installationId }).orderByRaw(`(status = 'running') desc, created_at desc`).first();
    return row ? toRun(row) : undefined;
  },

  async listRunning(db: DbOrTrx): Promise<BackfillRun[]> {
    const rows = await db('backfill_runs').where({ status: 'running' });
    return rows.map(toRun);
  },

  /** Adds a listed page's items and moves the cursor, unless another run of the job moved it already. */
  async addPage(db: DbOrTrx, runId: string, from: BackfillCursor, items: BackfillItem[], next: BackfillCursor | null): Promise<boolean> {
    return db.transaction(async (trx) => {
      const run = await trx('backfill_runs').where({ id: runId, status: 'running' }).forUpdate().first();
      if (!run || JSON.stringify(toRun(run).cursor) !== JSON.stringify(from)) return false;
      if (items.length > 0) {
        await trx('backfill_items')
          .insert(items.map((i) => ({ run_id: runId, lead_id: i.leadId, link_key: i.linkKey })))
          .onConflict(['run_id', 'lead_id', 'link_key'])
          .ignore();
      }
      const total = parseRow(z.object({ count: integer }), await trx('backfill_items').where({ run_id: runId }).count({ count: '*' }).first(), 'backfill_items').count;
      await trx('backfill_runs')
        .where({ id: runId })
        .update({ cursor: next ? JSON.stringify(next) : null, listed: next === null, total, updated_at: trx.fn.now() });
      return true;
    });
  },

  /** Items not handed to the Won job yet, in lead order. */
  async unqueued(db: DbOrTrx, runId: string, limit: number): Promise<BackfillItem[]> {
    const rows = await db('backfill_items').where({ run_id: runId, queued: false }).orderBy(['lead_id', 'link_key']).limit(limit);
    return parseRow(ItemRows, rows, 'backfill_items').map((r) => ({ leadId: r.lead_id, linkKey: r.link_key }));
  },

  async markQueued(db: DbOrTrx, runId: string, items: BackfillItem[]): Promise<void> {
    for (const i of items) await db('backfill_items').where({ run_id: runId, lead_id: i.leadId, link_key: i.linkKey }).update({ queued: true });
  },

  /** Items queued whose link is not settled (linked, unlinked or failed) yet. */
  async unsettledQueued(db: DbOrTrx, run: Pick<BackfillRun, 'id' | 'installationId'>): Promise<BackfillItem[]> {
    const rows = await db('backfill_items as i')
      .leftJoin('deal_links as l', (j) => j.on('l.lead_id', 'i.lead_id').andOn('l.link_key', 'i.link_key').andOnVal('l.installation_id', run.installationId))
      .where('i.run_id', run.id)
      .andWhere('i.queued', true)
      .andWhere((q) => q.whereNull('l.status').orWhereNotIn('l.status', ['linked', 'unlinked', 'failed']))
      .select('i.lead_id', 'i.link_key');
    return parseRow(ItemRows, rows, 'backfill_items').map((r) => ({ leadId: r.lead_id, linkKey: r.link_key }));
  },

  /** Counts done and failed items from their links, and stores them on the run. */
  async refreshCounts(db: DbOrTrx, run: Pick<BackfillRun, 'id' | 'installationId'>): Promise<{ done: number; errors: number; total: number }> {
    const row = await db('backfill_items as i')
      .leftJoin('deal_links as l', (j) => j.on('l.lead_id', 'i.lead_id').andOn('l.link_key', 'i.link_key').andOnVal('l.installation_id', run.installationId))
      .where('i.run_id', run.id)
      .select(
        db.raw(`count(*) filter (where l.status in ('linked', 'unlinked'))::int as done`),
        db.raw(`count(*) filter (where l.status = 'failed')::int as errors`),
        db.raw('count(*)::int as total'),
      )
      .first();
    const counts = parseRow(Counts, row, 'backfill_items');
    await db('backfill_runs').where({ id: run.id }).update({ done: counts.done, errors: counts.errors, updated_at: db.fn.now() });
    return counts;
  },

  /** Ends a running backfill; false when it was not running (any more). */
  async finish(db: DbOrTrx, runId: string, status: Exclude<BackfillStatus, 'running'>, errorMessage?: string): Promise<boolean> {
    const n = await db('backfill_runs')
      .where({ id: runId, status: 'running' })
      .update({ status, finished_at: db.fn.now(), updated_at: db.fn.now(), ...(errorMessage ? { error_message: errorMessage } : {}) });
    return n > 0;
  },
};
