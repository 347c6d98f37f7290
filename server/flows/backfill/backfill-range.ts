/** The date range of a backfill from its request's days (UTC; `until` includes its whole day). */
import type { BackfillRunView } from '../../../shared/backfill-api';
import type { BackfillRange, BackfillRun } from '../../domain/backfill';
import { AppError } from '../../errors';

const DAY_MS = 24 * 60 * 60 * 1000;

function day(value: string, field: string): Date {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new AppError('bad_request', `${field} must be a date like 2026-01-01`, { field });
  return date;
}

export function backfillRange(input: { since: string; until?: string | undefined }): BackfillRange {
  return { since: day(input.since, 'since'), until: input.until ? new Date(day(input.until, 'until').getTime() + DAY_MS - 1000) : null };
}

export function backfillRunView(run: BackfillRun): BackfillRunView {
  return {
    id: run.id,
    since: run.since.toISOString(),
    until: run.until?.toISOString() ?? null,
    status: run.status,
    listed: run.listed,
    total: run.total,
    done: run.done,
    errors: run.errors,
    errorMessage: run.errorMessage,
  };
}
