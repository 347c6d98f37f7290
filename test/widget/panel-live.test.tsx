/** @jest-environment jsdom */
/**
 * The block stays live: while nothing is in progress it re-reads the deal every `liveMs`, shows
 * what changed, pauses while the page is hidden, stops on unmount and backs off while reads fail.
 * Fake timers: the assertions are about which reads are scheduled, not about speed. Each `act`
 * flushes the effects (which schedule the next read) when it ends, so one period is one `advance`.
 */
import { act, screen } from '@testing-library/preact';
import { backendError, FakeBackend } from './support/fake-backend';
import { issue, lead, link } from './support/fixtures';
import { renderPanel } from './support/render-panel';

const open = lead({ links: [link()] });
const done = lead({ links: [link({ issue: issue({ state: { name: 'Done', type: 'completed', color: '#5e6ad2' } }) })] });
const live = { pollMs: 10, maxPolls: 20, liveMs: 3000, maxBackoffMs: 20_000 };

function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}
const advance = (ms: number) => act(() => jest.advanceTimersByTimeAsync(ms));
const badge = () => screen.getByTestId('issue-ENG-42').querySelector('.lfk-badge')?.textContent;

describe('Panel stays live', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    setHidden(false);
    jest.useRealTimers();
  });

  it('shows a change that reached the server without a reload, and redraws nothing on a 304', async () => {
    // The fake answers `open` three times (the same object: what the client returns on a 304), then `done`.
    const backend = new FakeBackend(open, open, open, done);
    renderPanel(backend, { poll: live });
    await advance(0);
    expect(badge()).toBe('In Progress');
    await advance(3000);
    await advance(3000);
    expect(backend.callsOf('getLead')).toHaveLength(3);
    expect(badge()).toBe('In Progress');
    await advance(3000);
    expect(badge()).toBe('Done');
  });

  it('pauses while the page is hidden, reads at once when it is shown again, and stops on unmount', async () => {
    const backend = new FakeBackend(open);
    const view = renderPanel(backend, { poll: live });
    await advance(0);
    await advance(3000);
    expect(backend.callsOf('getLead')).toHaveLength(2);

    await act(() => setHidden(true));
    await advance(60_000);
    expect(backend.callsOf('getLead')).toHaveLength(2);

    backend.leads = [done];
    await act(() => setHidden(false));
    await advance(0);
    expect(backend.callsOf('getLead')).toHaveLength(3);
    expect(badge()).toBe('Done');

    view.unmount();
    await advance(60_000);
    expect(backend.callsOf('getLead')).toHaveLength(3);
  });

  it('backs off while reads fail, quietly, and returns to the normal pace after a success', async () => {
    const failing = backendError('network', 'offline');
    const backend = new FakeBackend(open, failing, failing, failing, open);
    renderPanel(backend, { poll: live });
    await advance(0);
    await advance(3000); // read 2 fails: the next waits 6 s, then 12 s
    expect(backend.callsOf('getLead')).toHaveLength(2);
    await advance(5999);
    expect(backend.callsOf('getLead')).toHaveLength(2);
    await advance(1);
    expect(backend.callsOf('getLead')).toHaveLength(3);
    await advance(12_000);
    expect(backend.callsOf('getLead')).toHaveLength(4);
    await advance(20_000); // capped at maxBackoffMs; this read succeeds
    expect(backend.callsOf('getLead')).toHaveLength(5);
    await advance(3000);
    expect(backend.callsOf('getLead')).toHaveLength(6);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(badge()).toBe('In Progress');
  });
});
