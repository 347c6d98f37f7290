/** @jest-environment jsdom */
/** The settings page's backfill section: dry run with the first deals, start, progress, cancel. */
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import type { BackfillRequest, BackfillRunView } from '../../shared/backfill-api';
import type { BackfillBackend } from '../../widget/src/settings/backfill-api';
import { FakeSettingsBackend } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';

const runView = (overrides: Partial<BackfillRunView> = {}): BackfillRunView => ({
  id: 'b1', since: '2026-01-01T00:00:00.000Z', until: null, status: 'running', listed: true, total: 2, done: 0, errors: 0, errorMessage: null, ...overrides,
});

function fakeBackfill(current: BackfillRunView | null) {
  const calls: Array<[string, BackfillRequest?]> = [];
  const state = { current };
  const backend: BackfillBackend = {
    dryRun: async (range) => (calls.push(['dryRun', range]), { count: 2, first: [{ leadId: 11, linkKey: 'won', name: 'Old deal A' }, { leadId: 12, linkKey: 'won', name: 'Old deal B' }] }),
    start: async (range) => (calls.push(['start', range]), (state.current = runView())),
    current: async () => state.current,
    cancel: async () => (calls.push(['cancel']), (state.current = runView({ status: 'cancelled' }))),
  };
  return { backend, calls, state };
}

describe('backfill section', () => {
  it('counts the deals of the range, lists the first ones, starts the run and shows its progress', async () => {
    const fake = fakeBackfill(null);
    renderSettings(Object.assign(new FakeSettingsBackend(), { backfill: fake.backend }));
    fireEvent.input(await screen.findByLabelText('From (day)'), { target: { value: '2026-01-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Count' }));
    const dry = await screen.findByTestId('backfill-dry-run');
    expect(dry.textContent).toContain('2 deal issue(s) would be created.');
    expect([...dry.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['#11 Old deal A', '#12 Old deal B']);
    fireEvent.click(screen.getByRole('button', { name: 'Create the issues' }));
    const progress = await screen.findByTestId('backfill-progress');
    expect(progress.textContent).toContain('Running 0 of 2 created, 0 error(s)');
    expect(fake.calls).toEqual([['dryRun', { since: '2026-01-01' }], ['start', { since: '2026-01-01' }]]);
  });

  it('shows a running backfill on open and cancels it', async () => {
    const fake = fakeBackfill(runView({ done: 1 }));
    renderSettings(Object.assign(new FakeSettingsBackend(), { backfill: fake.backend }));
    expect((await screen.findByTestId('backfill-progress')).textContent).toContain('1 of 2 created');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel the backfill' }));
    await waitFor(() => expect(screen.getByTestId('backfill-progress').textContent).toContain('Cancelled'));
    expect(fake.calls).toEqual([['cancel']]);
  });
});
