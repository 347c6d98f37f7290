/** The CLI's backfill progress: a line off a terminal, a bar on one. */
import { progressBar, progressLine } from '../../../../server/cli/backfill-command';
import type { BackfillRun } from '../../../../server/domain/backfill';

const run = (overrides: Partial<BackfillRun> = {}): BackfillRun => ({
  id: 'b1',
  installationId: 'i1',
  since: new Date('2026-01-01T00:00:00Z'),
  until: null,
  status: 'running',
  listed: true,
  cursor: null,
  total: 40,
  done: 10,
  errors: 0,
  errorMessage: null,
  createdAt: new Date(),
  finishedAt: null,
  ...overrides,
});

describe('backfill progress', () => {
  it('says n of N and the errors, and whether deals are still being found', () => {
    expect(progressLine(run())).toBe('backfill b1: 10 of 40 done, 0 error(s)');
    expect(progressLine(run({ listed: false, total: 250, done: 0 }))).toBe('backfill b1: 0 of 250+ done, 0 error(s) (still finding deals)');
    expect(progressLine(run({ status: 'failed', errors: 2, errorMessage: 'kommo_rejected: no' }))).toBe('backfill b1: 10 of 40 done, 2 error(s): failed (kommo_rejected: no)');
  });

  it('draws a bar of the settled share', () => {
    expect(progressBar(run({ done: 15, errors: 5 }))).toBe(`[${'#'.repeat(15)}${'-'.repeat(15)}] backfill b1: 15 of 40 done, 5 error(s)`);
    expect(progressBar(run({ total: 0, done: 0, status: 'done' }))).toMatch(/^\[#{30}\] /);
  });
});
