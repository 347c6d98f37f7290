/**
 * A backfill run: the deals already at a trigger stage in a date range, each (deal, rule) given
 * its issue by the Won job. Listing goes page by page (Won deals by `closed_at`, deals at other
 * stages by `updated_at`); the cursor names the next page, so a restart resumes there.
 */
import { z } from 'zod';

export const BACKFILL_STATUSES = ['running', 'done', 'cancelled', 'failed'] as const;
export type BackfillStatus = (typeof BACKFILL_STATUSES)[number];

export const BackfillCursorSchema = z.object({ phase: z.enum(['won', 'open']), page: z.number().int().positive() });
export type BackfillCursor = z.infer<typeof BackfillCursorSchema>;

export interface BackfillRange {
  since: Date;
  /** Open-ended when absent. */
  until: Date | null;
}

export interface BackfillRun extends BackfillRange {
  id: string;
  installationId: string;
  status: BackfillStatus;
  /** Every page listed: `total` is final. */
  listed: boolean;
  /** The next page to list; null once listed. */
  cursor: BackfillCursor | null;
  total: number;
  /** Items whose issue exists (or was unlinked since). */
  done: number;
  /** Items whose link failed. */
  errors: number;
  errorMessage: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** One deal and the link key of the issue a rule makes for it. */
export interface BackfillItem {
  leadId: number;
  linkKey: string;
}

export const FIRST_BACKFILL_CURSOR: BackfillCursor = { phase: 'won', page: 1 };
