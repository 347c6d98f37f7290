/** @jest-environment jsdom */
/** Comments both ways in the widget: the card's last comment from Linear, and the settings section. */
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { FakeBackend } from './support/fake-backend';
import { lead, link, NOW } from './support/fixtures';
import { renderPanel } from './support/render-panel';
import { FakeSettingsBackend } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';
import { settingsInput, settingsView } from './support/settings-fixtures';

describe('comments both ways in the widget', () => {
  it('the card shows the last comment from Linear under its issue, and nothing when there is none', async () => {
    const at = new Date(NOW.getTime() - 10 * 60_000).toISOString();
    renderPanel(new FakeBackend(lead({ links: [link({ lastComment: { author: 'Dana Dev', text: 'Scope confirmed.', at } }), link({ linkId: 'l2', lastComment: null })] })));
    const shown = await screen.findAllByTestId('last-comment');
    expect(shown).toHaveLength(1);
    expect(within(shown[0] as HTMLElement).getByText('Scope confirmed.')).toBeTruthy();
    expect(shown[0]?.textContent).toMatch(/^Last comment in Linear · Dana Dev, /);
  });

  it("the card shows the manager's last follow-up task with its due date", async () => {
    const at = new Date(NOW.getTime() - 5 * 60_000).toISOString();
    renderPanel(new FakeBackend(lead({ links: [link({ lastTask: { text: 'Call the client: ENG-42 Onboarding is done', due: '2026-03-03T15:00:00.000Z', at } })] })));
    const task = await screen.findByTestId('last-task');
    expect(task.textContent).toMatch(/^Task for the deal's manager · .+, due .*2026.*☎ Call the client: ENG-42 Onboarding is done$/);
  });

  it('the settings page turns comments on with a prefix, and refuses an empty prefix', async () => {
    const backend = new FakeSettingsBackend(settingsView());
    renderSettings(backend);
    const section = await screen.findByTestId('comments');
    fireEvent.click(within(section).getByLabelText('Mirror comments between Linear and the deal'));
    const prefix = within(section).getByLabelText('Prefix of a deal note that becomes a Linear comment');
    fireEvent.input(prefix, { target: { value: '' } });
    expect(prefix.getAttribute('aria-invalid')).toBe('true');
    fireEvent.input(prefix, { target: { value: '#eng' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(backend.callsOf('save')).toHaveLength(1));
    expect(backend.callsOf('save')[0]?.[0]).toEqual(settingsInput({ comments: { enabled: true, prefix: '#eng' } }));
  });
});
