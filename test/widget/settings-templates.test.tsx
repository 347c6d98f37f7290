/** @jest-environment jsdom */
/** A rule's Linear issue template: the rule team's templates and the workspace's, kept per team, and shown in the preview. */
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { FakeSettingsBackend } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';
import { preview, settingsInput, settingsView } from './support/settings-fixtures';

const base = settingsView();
const withTemplates = (rules = base.settings.rules) =>
  settingsView({
    settings: settingsInput({ rules }),
    linear: {
      ...base.linear,
      templates: [
        { id: 'tpl-eng', name: 'Onboarding checklist', teamId: 't-eng' },
        { id: 'tpl-ops', name: 'Ops runbook', teamId: 't-ops' },
        { id: 'tpl-all', name: 'Shared bug', teamId: null },
      ],
    },
  });
const optionsOf = (select: HTMLElement) => [...(select as HTMLSelectElement).options].map((o) => o.textContent);

describe('rule template', () => {
  it("offers the rule team's templates and the workspace's, and saves the one picked", async () => {
    const backend = new FakeSettingsBackend(withTemplates());
    renderSettings(backend);
    const rule = await screen.findByTestId('rule-0');
    const picker = within(rule).getByLabelText('Linear template');
    expect(optionsOf(picker)).toEqual(['No template', 'Onboarding checklist', 'Shared bug']);
    fireEvent.change(picker, { target: { value: 'tpl-eng' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(backend.callsOf('save')).toHaveLength(1));
    expect(backend.callsOf('save')[0]?.[0]).toMatchObject({ rules: [{ team: 'ENG', templateId: 'tpl-eng' }] });
  });

  it("drops a team's template when the rule moves to another team, and keeps a workspace one", async () => {
    const backend = new FakeSettingsBackend(withTemplates([{ pipelineId: 10, team: 'ENG', labels: [], templateId: 'tpl-eng' }]));
    renderSettings(backend);
    const rule = await screen.findByTestId('rule-0');
    fireEvent.change(within(rule).getByLabelText('Team'), { target: { value: 'OPS' } });
    const picker = within(rule).getByLabelText('Linear template') as HTMLSelectElement;
    expect(picker.value).toBe('');
    expect(optionsOf(picker)).toEqual(['No template', 'Ops runbook', 'Shared bug']);
    fireEvent.change(picker, { target: { value: 'tpl-all' } });
    fireEvent.change(within(rule).getByLabelText('Team'), { target: { value: 'ENG' } });
    expect((within(rule).getByLabelText('Linear template') as HTMLSelectElement).value).toBe('tpl-all');
  });

  it('keeps a saved template Linear no longer lists, marked', async () => {
    renderSettings(new FakeSettingsBackend(withTemplates([{ pipelineId: 10, team: 'ENG', labels: [], templateId: 'tpl-gone' }])));
    const picker = within(await screen.findByTestId('rule-0')).getByLabelText('Linear template') as HTMLSelectElement;
    expect(picker.value).toBe('tpl-gone');
    expect(optionsOf(picker)).toContain('tpl-gone (not found)');
  });

  it('shows the template of the preview and what it still sets', async () => {
    const backend = new FakeSettingsBackend(withTemplates());
    backend.previews = [preview({ template: { name: 'Onboarding checklist', fields: [{ field: 'Labels', value: 'onboarding' }] } })];
    renderSettings(backend);
    fireEvent.input(await screen.findByLabelText('Deal id'), { target: { value: '4242' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const result = await screen.findByTestId('preview');
    expect(within(result).getByText('Template').nextElementSibling?.textContent).toBe('Onboarding checklist');
    expect(within(result).getByText('Labels (from the template)').nextElementSibling?.textContent).toBe('onboarding');
  });
});
