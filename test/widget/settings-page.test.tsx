/** @jest-environment jsdom */
/**
 * The settings page: every section from the view, Save (disabled until something changes, sends
 * the whole SettingsInput, shows the server's 400 next to its control), and the non-admin view.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { FakeSettingsBackend, httpError } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';
import { BackendError } from '../../widget/src/api/backend-error';
import { settingsInput, settingsView } from './support/settings-fixtures';

const section = (name: string) => screen.getByRole('region', { name });
const saveButton = () => screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;

describe('settings page', () => {
  it('loads and shows every section', async () => {
    renderSettings(new FakeSettingsBackend());
    expect(await screen.findByTestId('linear-connected')).toHaveProperty('textContent', 'Connected to the Acme workspace as Jane Admin.');
    for (const name of ['Linear', 'Fields', 'Users', 'Notes in Kommo', 'Preview', 'Webhooks', 'Changes']) {
      expect(section(name)).toBeTruthy();
    }
    const linear = section('Linear');
    expect((within(linear).getByLabelText('Default team') as HTMLSelectElement).value).toBe('ENG');
    expect((within(linear).getByLabelText('All pipelines') as HTMLInputElement).checked).toBe(true);
    const rule = screen.getByTestId('rule-0');
    expect((within(rule).getByLabelText('Pipeline') as HTMLSelectElement).value).toBe('10');
    expect((within(rule).getByLabelText('Initial state') as HTMLSelectElement).value).toBe('Todo');

    const fields = section('Fields');
    const issueField = within(fields).getByLabelText('“Linear issue” field') as HTMLSelectElement;
    expect(issueField.selectedOptions[0]?.textContent).toBe('Linear issue (created automatically)');
    expect(within(fields).getByText(/it is created automatically/)).toBeTruthy();
    expect((within(fields).getByLabelText('Tag') as HTMLInputElement).value).toBe('vip');
    expect((within(fields).getByLabelText('Default priority') as HTMLSelectElement).value).toBe('2');

    expect(within(section('Notes in Kommo')).getAllByRole('checkbox')).toHaveLength(6);
    expect((within(section('Notes in Kommo')).getByLabelText('Language of the notes') as HTMLSelectElement).value).toBe('');

    const webhooks = section('Webhooks');
    expect(within(screen.getByTestId('webhook-Kommo')).queryByRole('textbox')).toBeNull();
    expect(within(webhooks).getByLabelText('Linear webhook URL')).toHaveProperty('value', 'https://backend.test/webhooks/linear/acme');

    expect(within(section('Changes')).getByText('Default team set to ENG')).toBeTruthy();
    expect(within(section('Changes')).getByText(/Jane Doe/)).toBeTruthy();
    expect(saveButton().disabled).toBe(true);
  });

  it('saves the whole form in one PUT and says so', async () => {
    const backend = new FakeSettingsBackend();
    const saved = settingsView({ settings: settingsInput({ pipelines: 'listed', defaultPriority: 3 }) });
    backend.saves = [saved];
    renderSettings(backend);
    fireEvent.click(await screen.findByLabelText('Only the pipelines listed in the rules below'));
    fireEvent.change(screen.getByLabelText('Default priority'), { target: { value: '3' } });
    expect(screen.getByText('Unsaved changes')).toBeTruthy();
    expect(saveButton().disabled).toBe(false);
    fireEvent.click(saveButton());
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(backend.callsOf('save')).toEqual([[settingsInput({ pipelines: 'listed', defaultPriority: 3 })]]);
    expect(saveButton().disabled).toBe(true);
  });

  it('shows a 400 next to the control its field names', async () => {
    const backend = new FakeSettingsBackend();
    backend.saves = [httpError(400, 'Linear team "OPS" cannot be used by this rule', 'rules.0.team')];
    renderSettings(backend);
    const team = await within(await screen.findByTestId('rule-0')).findByLabelText('Team');
    fireEvent.change(team, { target: { value: 'OPS' } });
    fireEvent.click(saveButton());
    await waitFor(() => expect(team.getAttribute('aria-invalid')).toBe('true'));
    const note = document.getElementById(team.getAttribute('aria-describedby') ?? '');
    expect(note?.textContent).toBe('Linear team "OPS" cannot be used by this rule');
    await waitFor(() => expect(document.activeElement).toBe(team));
    expect(backend.callsOf('save')[0]?.[0]).toMatchObject({ rules: [{ pipelineId: 10, team: 'OPS', labels: [] }] });
  });

  it('shows a read-only explanation when the server answers 403', async () => {
    const backend = new FakeSettingsBackend(httpError(403, 'Admins only', undefined, 'forbidden'));
    renderSettings(backend);
    expect((await screen.findByTestId('read-only')).textContent).toBe(
      'Only Kommo administrators can change these settings; you can look at them.',
    );
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it('says when and how the installation was disabled', async () => {
    const disabledAt = '2026-11-30T10:00:00.000Z';
    const backend = new FakeSettingsBackend(new BackendError('server', 'This installation was disabled', 409, 'installation_disabled', undefined, disabledAt));
    renderSettings(backend);
    const notice = (await screen.findByTestId('disabled')).textContent ?? '';
    expect(notice).toContain(new Date(disabledAt).toLocaleString());
    expect(notice).toMatch(/Kommo reported that its access was revoked/);
    expect(notice).toMatch(/Only a new installation re-enables it/);
  });

  it('shows the settings read-only to a non-admin', async () => {
    renderSettings(new FakeSettingsBackend(settingsView({ isAdmin: false })));
    expect(await screen.findByTestId('read-only')).toBeTruthy();
    expect(screen.getByLabelText('Default team').matches(':disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Replace key' })).toBeNull();
    expect(screen.getByText('Connected to the Acme workspace as Jane Admin.')).toBeTruthy();
    expect(saveButton().disabled).toBe(true);
  });

  it('turns read-only when a save is refused with 403', async () => {
    const backend = new FakeSettingsBackend();
    backend.saves = [httpError(403, 'Only administrators can change the settings', undefined, 'forbidden')];
    renderSettings(backend);
    fireEvent.change(await screen.findByLabelText('Default priority'), { target: { value: '4' } });
    fireEvent.click(saveButton());
    expect(await screen.findByTestId('read-only')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Only administrators can change the settings');
    expect(saveButton().disabled).toBe(true);
  });

  it('offers Try again when loading fails', async () => {
    const backend = new FakeSettingsBackend(httpError(502, 'Linear is down', undefined, 'upstream'), settingsView());
    renderSettings(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('linear-connected')).toBeTruthy();
  });
});
