/** @jest-environment jsdom */
/** Preview: the issue a deal would become with the unsaved form; description as plain text; warnings. */
import { fireEvent, screen, within } from '@testing-library/preact';
import { FakeSettingsBackend, httpError } from './support/fake-settings-backend';
import { renderSettings, renderSummary } from './support/render-settings';
import { preview, settingsInput, settingsView } from './support/settings-fixtures';

describe('preview', () => {
  it('previews a deal with the unsaved settings and shows warnings', async () => {
    const backend = new FakeSettingsBackend();
    backend.previews = [preview()];
    renderSettings(backend);
    fireEvent.change(await screen.findByLabelText('Default priority'), { target: { value: '4' } });
    const button = screen.getByRole('button', { name: 'Preview' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true); // no deal picked by default
    fireEvent.input(screen.getByLabelText('Deal id'), { target: { value: '4242' } });
    fireEvent.click(button);

    const result = await screen.findByTestId('preview');
    expect(backend.callsOf('preview')).toEqual([[4242, settingsInput({ defaultPriority: 4 })]]);
    expect(backend.callsOf('save')).toEqual([]);
    expect(within(result).getByRole('heading', { name: 'ACME Corp: onboarding' })).toBeTruthy();
    const description = result.querySelector('pre');
    expect(description?.textContent).toBe('## Spec\n\n**Bold** text stays as written');
    expect(description?.querySelector('strong, h2')).toBeNull();
    for (const text of ['Engineering', 'Todo', 'Jane Doe', 'Urgent', /^(20 Mar 2026|Mar 20, 2026)$/]) {
      expect(within(result).getByText(text)).toBeTruthy();
    }
    const warnings = within(result).getByRole('list', { name: 'Warnings' });
    expect(warnings.textContent).toBe('Bob Sales has no Linear user: the issue would be unassigned');
  });

  it('lists which rules of the deal\'s pipeline fire', async () => {
    const backend = new FakeSettingsBackend();
    backend.previews = [{ ...preview(), rules: [{ rule: 'Onboarding', stage: 'Contract signed', fires: true }, { rule: 'Handover', stage: 'Closed - won', fires: false }] }];
    renderSettings(backend);
    fireEvent.input(await screen.findByLabelText('Deal id'), { target: { value: '4242' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const rules = await screen.findByRole('list', { name: "Rules of this deal's pipeline" });
    expect([...rules.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Onboarding: Contract signed, fires', 'Handover: Closed - won, not reached']);
  });

  it('shows a failed preview next to the deal id', async () => {
    const backend = new FakeSettingsBackend();
    backend.previews = [httpError(404, 'Deal 9 was not found', 'leadId', 'not_found')];
    renderSettings(backend);
    fireEvent.input(await screen.findByLabelText('Deal id'), { target: { value: '9' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Deal 9 was not found');
    expect(screen.queryByTestId('preview')).toBeNull();
  });

  it('refuses a deal id that is not a number', async () => {
    const backend = new FakeSettingsBackend();
    renderSettings(backend);
    fireEvent.input(await screen.findByLabelText('Deal id'), { target: { value: 'abc' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Enter the number of an existing deal.');
    expect(backend.callsOf('preview')).toEqual([]);
  });
});

describe('settings modal summary', () => {
  it('shows the connection and links to the full page', async () => {
    renderSummary(new FakeSettingsBackend());
    expect(await screen.findByText('Connected to the Acme workspace as Jane Admin.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the Linear settings page' }).getAttribute('href')).toBe('/settings/widgets/lfk/');
  });

  it('says when Linear is not connected', async () => {
    renderSummary(new FakeSettingsBackend(settingsView({ linear: { ...settingsView().linear, connected: false } })), 'es');
    expect(await screen.findByText('Linear no está conectado.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Abrir los ajustes de Linear' })).toBeTruthy();
  });
});
