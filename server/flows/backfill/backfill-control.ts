/**
 * What the settings page and the CLI do with a backfill: count it (dry run), start it, read its
 * progress, cancel it. The work itself runs in the backfill job (jobs/kommo-backfill.ts).
 */
import { FIRST_BACKFILL_CURSOR, type BackfillCursor, type BackfillRange, type BackfillRun, type BackfillStatus } from '../../domain/backfill';
import { AppError } from '../../errors';
import { dryRunBackfill, type BackfillCandidate, type BackfillListDeps } from './list-backfill';

/** The backfill runs as the flows see them (db/repos/backfills.ts, bound to the database). */
export interface BackfillStore {
  start(installationId: string, range: BackfillRange, cursor: BackfillCursor): Promise<BackfillRun>;
  current(installationId: string): Promise<BackfillRun | undefined>;
  finish(runId: string, status: Exclude<BackfillStatus, 'running'>, errorMessage?: string): Promise<boolean>;
}

export interface BackfillControlDeps extends BackfillListDeps {
  store: BackfillStore;
  /** Queues the run's job (jobs/kommo-backfill.ts). */
  enqueue(runId: string): Promise<void>;
}

export interface BackfillControl {
  dryRun(range: BackfillRange): Promise<{ count: number; first: BackfillCandidate[] }>;
  start(range: BackfillRange): Promise<BackfillRun>;
  current(): Promise<BackfillRun | undefined>;
  cancel(): Promise<BackfillRun | undefined>;
}

function checkRange(range: BackfillRange): void {
  if (range.until && range.until.getTime() < range.since.getTime()) throw new AppError('bad_request', 'The end of the date range (until) is before its start (since)', { field: 'until' });
}

export function createBackfillControl(deps: BackfillControlDeps): BackfillControl {
  const installationId = deps.installation.id;
  return {
    async dryRun(range) {
      checkRange(range);
      return dryRunBackfill(deps, range);
    },
    async start(range) {
      checkRange(range);
      const run = await deps.store.start(installationId, range, FIRST_BACKFILL_CURSOR);
      try {
        await deps.enqueue(run.id);
      } catch (error) {
        // A run no job works would hold the account's one running slot until the next start.
        await deps.store.finish(run.id, 'failed', 'The backfill could not be queued').catch(() => undefined);
        throw new AppError('unavailable', 'Could not start the backfill; try again shortly', { cause: error });
      }
      return run;
    },
    current: () => deps.store.current(installationId),
    async cancel() {
      const run = await deps.store.current(installationId);
      if (!run || run.status !== 'running') throw new AppError('not_found', 'No backfill is running for this account');
      // The job sees the status at its next step; deals already handed to the Won job still get their issue.
      await deps.store.finish(run.id, 'cancelled');
      return deps.store.current(installationId);
    },
  };
}
