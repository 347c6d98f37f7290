/** @jest-environment jsdom */
/** The Linear section: pasting, replacing and removing the key; the rule's state follows its team. */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { FakeSettingsBackend, httpError } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';
import { settingsView } from './support/settings-fixtures';

const disconnected = settingsView({
  linear: { ...settingsView().linear, connected: false, workspace: null, user: null, problem: 'No Linear key yet', teams: [], states: [], projects: [], labels: [], users: [] },
});
const KEY = 'lin_api_0123456789abcdef';
const optionsOf = (select: HTMLElement) => [...(select as HTMLSelectElement).options].map((o) => o.textContent);

describe('Linear connection', () => {
  it('connects a pasted key and reloads the lists', async () => {
    const backend = new FakeSettingsBackend(disconnected, settingsView());
    renderSettings(backend);
    expect(await screen.findByText('No Linear key yet')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Linear API key'), { target: { value: `  ${KEY} ` } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByTestId('linear-connected')).textContent).toBe('Connected to the Acme workspace as Jane Admin.');
    expect(backend.callsOf('connect')).toEqual([[KEY]]);
    expect(backend.callsOf('load')).toHaveLength(2);
    expect(optionsOf(screen.getByLabelText('Default team'))).toContain('Engineering (ENG)');
    expect(screen.queryByLabelText('Linear API key')).toBeNull();
  });

  it('shows the server refusing a key next to the field', async () => {
    const backend = new FakeSettingsBackend(disconnected);
    backend.connects = [httpError(400, 'Linear refused this API key', 'apiKey', 'linear_key_invalid')];
    renderSettings(backend);
    const input = await screen.findByLabelText('Linear API key');
    fireEvent.input(input, { target: { value: KEY } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Linear refused this API key');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('shows Linear being down (502) as the server says', async () => {
    const backend = new FakeSettingsBackend(disconnected);
    backend.connects = [httpError(502, 'Linear did not answer', undefined, 'linear_unavailable')];
    renderSettings(backend);
    fireEvent.input(await screen.findByLabelText('Linear API key'), { target: { value: KEY } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The Linear integration returned an error: Linear did not answer');
  });

  it('checks the key before sending it', async () => {
    const backend = new FakeSettingsBackend(disconnected);
    renderSettings(backend);
    fireEvent.input(await screen.findByLabelText('Linear API key'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Paste a Linear API key (lin_api_…).');
    expect(backend.callsOf('connect')).toEqual([]);
  });

  it('replaces and removes the key', async () => {
    const backend = new FakeSettingsBackend(settingsView(), settingsView(), disconnected);
    renderSettings(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Replace key' }));
    fireEvent.input(screen.getByLabelText('Linear API key'), { target: { value: KEY } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await waitFor(() => expect(backend.callsOf('load')).toHaveLength(2));

    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(true);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove key' }));
    expect(await screen.findByLabelText('Linear API key')).toBeTruthy();
    expect(confirm).toHaveBeenCalledWith('Remove the Linear key? No issues are created until a new key is connected.');
    expect(backend.callsOf('disconnect')).toHaveLength(1);
    expect(screen.queryByTestId('linear-connected')).toBeNull();
    confirm.mockRestore();
  });
});

describe('pipeline rules', () => {
  it('offers the states of the rule team and drops a state the new team lacks', async () => {
    const backend = new FakeSettingsBackend();
    backend.saves = [settingsView()];
    renderSettings(backend);
    const rule = await screen.findByTestId('rule-0');
    const state = within(rule).getByLabelText('Initial state');
    expect(optionsOf(state)).toEqual(["The team's backlog state", 'Backlog', 'Todo', 'In Progress']);
    fireEvent.change(within(rule).getByLabelText('Team'), { target: { value: 'OPS' } });
    expect(optionsOf(within(rule).getByLabelText('Initial state'))).toEqual(["The team's backlog state", 'Triage', 'Queued']);
    expect((within(rule).getByLabelText('Initial state') as HTMLSelectElement).value).toBe('');
    fireEvent.change(within(rule).getByLabelText('Initial state'), { target: { value: 'Queued' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(backend.callsOf('save')).toHaveLength(1));
    expect(backend.callsOf('save')[0]?.[0]).toMatchObject({ rules: [{ pipelineId: 10, team: 'OPS', state: 'Queued', labels: [] }] });
  });

  it('adds a rule for another pipeline with a project and labels, and removes it', async () => {
    const backend = new FakeSettingsBackend();
    renderSettings(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Add rule' }));
    const rule = screen.getByTestId('rule-1');
    fireEvent.change(within(rule).getByLabelText('Pipeline'), { target: { value: '11' } });
    fireEvent.change(within(rule).getByLabelText('Project'), { target: { value: 'p-1' } });
    const labels = within(rule).getByLabelText('Labels') as HTMLSelectElement;
    for (const option of labels.options) option.selected = true;
    fireEvent.change(labels);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(backend.callsOf('save')).toHaveLength(1));
    expect(backend.callsOf('save')[0]?.[0]).toMatchObject({
      rules: [{ pipelineId: 10 }, { pipelineId: 11, project: 'p-1', labels: ['l-1', 'l-2'] }],
    });
    fireEvent.click(screen.getByRole('button', { name: 'Remove rule 2' }));
    expect(screen.queryByTestId('rule-1')).toBeNull();
  });

  it("picks a rule's trigger stage from its pipeline's stages and names it; a new rule gets an id", async () => {
    const base = settingsView();
    const withStages = settingsView({
      kommo: {
        ...base.kommo,
        pipelines: [
          { id: 10, name: 'Sales', stages: [{ id: 20, name: 'Incoming' }, { id: 21, name: 'Contract signed' }, { id: 142, name: 'Closed - won' }] },
          { id: 11, name: 'Partners', stages: [{ id: 30, name: 'Incoming' }] },
        ],
      },
    });
    const backend = new FakeSettingsBackend(withStages);
    renderSettings(backend);
    const rule = await screen.findByTestId('rule-0');
    const stage = within(rule).getByLabelText('Trigger stage');
    expect(optionsOf(stage)).toEqual(['Won (default)', 'Incoming', 'Contract signed']);
    fireEvent.change(stage, { target: { value: '21' } });
    fireEvent.input(within(rule).getByLabelText('Rule name (shown on the deal card)'), { target: { value: 'Onboarding' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(backend.callsOf('save')).toHaveLength(1));
    const saved = backend.callsOf('save')[0]?.[0] as { rules: Array<Record<string, unknown>> };
    expect(saved.rules[0]).toMatchObject({ pipelineId: 10, statusId: 21, name: 'Onboarding' });
    expect(saved.rules[1]?.id).toMatch(/^[a-z0-9]{1,40}$/);
  });

  describe('a Linear webhook set up by hand', () => {
    const SECRET = 'lin_wh_0123456789abcdef0123';
    const configured = settingsView({ webhooks: { ...settingsView().webhooks, linear: 'configured' } });

    it('saves the pasted signing secret and shows it as set up, keeping unsaved edits', async () => {
      const backend = new FakeSettingsBackend();
      backend.webhookSecrets = [configured];
      renderSettings(backend);
      const hook = await screen.findByTestId('webhook-Linear');
      expect(hook.textContent).toContain('to be set up by hand');
      fireEvent.change(screen.getByLabelText('Default team'), { target: { value: 'OPS' } });
      fireEvent.input(within(hook).getByLabelText("Signing secret (from the webhook's page in Linear)"), { target: { value: ` ${SECRET} ` } });
      fireEvent.click(within(hook).getByRole('button', { name: 'Save secret' }));
      await waitFor(() => expect(hook.textContent).toContain('set up by hand; signing secret saved'));
      expect(backend.callsOf('saveLinearWebhookSecret')).toEqual([[SECRET]]);
      expect(within(hook).getByLabelText('Replace the signing secret')).toBeTruthy();
      expect((screen.getByLabelText('Default team') as HTMLSelectElement).value).toBe('OPS');
    });

    it('checks the secret before sending it and shows a refusal next to the field', async () => {
      const backend = new FakeSettingsBackend();
      backend.webhookSecrets = [httpError(400, 'The secret is too long', 'secret')];
      renderSettings(backend);
      const hook = await screen.findByTestId('webhook-Linear');
      const input = within(hook).getByLabelText("Signing secret (from the webhook's page in Linear)");
      fireEvent.input(input, { target: { value: 'short' } });
      fireEvent.click(within(hook).getByRole('button', { name: 'Save secret' }));
      expect((await within(hook).findByRole('alert')).textContent).toBe("Paste the signing secret shown on the webhook's page in Linear");
      expect(backend.callsOf('saveLinearWebhookSecret')).toEqual([]);
      fireEvent.input(input, { target: { value: SECRET } });
      fireEvent.click(within(hook).getByRole('button', { name: 'Save secret' }));
      expect((await within(hook).findByRole('alert')).textContent).toBe('The secret is too long');
    });

    it('offers no field when the webhook was registered automatically, or to a non-admin', async () => {
      renderSettings(new FakeSettingsBackend(settingsView({ webhooks: { ...settingsView().webhooks, linear: 'registered' } })));
      const hook = await screen.findByTestId('webhook-Linear');
      expect(hook.textContent).toContain('registered automatically');
      expect(within(hook).queryByRole('button', { name: 'Save secret' })).toBeNull();
      cleanup();
      renderSettings(new FakeSettingsBackend(settingsView({ isAdmin: false })));
      const readOnly = await screen.findByTestId('webhook-Linear');
      expect(readOnly.textContent).toContain('to be set up by hand');
      expect(within(readOnly).queryByRole('button', { name: 'Save secret' })).toBeNull();
    });
  });
});
