/** @jest-environment jsdom */
/**
 * The `dpSettings` callback in the Digital Pipeline action form: in a marketplace build it asks
 * the server for the installation's token, writes it into the hidden token field as typing would
 * (Kommo's form hears `change`), hides the field, and says so when the token cannot be had; in
 * every build the team, project and state fields become pickers that write the same text.
 */
import { waitFor } from '@testing-library/preact';
import type { AjaxOptions } from '../../widget/src/host/kommo-types';
import { unmountAll } from '../../widget/src/mount';
import { makeWidget, win } from './support/make-widget';
import { settingsView } from './support/settings-fixtures';
import type { AjaxAnswer, StubSelf } from './support/stub-self';

/** Kommo's action form, as its DP editor draws it: each setting in a field wrapper. */
function actionForm(withToken: boolean, values: Record<string, string> = {}): void {
  const keys = ['team', 'project', 'state', 'labels', 'priority', ...(withToken ? ['lfk_dp_token'] : [])];
  document.body.innerHTML = `<div data-action="send_widget_hook">${keys
    .map((key) => `<div class="widget_settings_block__item_field"><span>${key}</span><input name="${key}" value="${values[key] ?? ''}"></div>`)
    .join('')}</div>`;
}
const input = (name: string) => document.querySelector<HTMLInputElement>(`input[name="${name}"]`);
const picker = (name: string) => input(name)?.nextElementSibling as HTMLSelectElement | null;
const options = (name: string) => [...(picker(name)?.options ?? [])].map((o) => o.value);

const refused: AjaxAnswer = {
  ok: false,
  xhr: { status: 403, responseJSON: { error: { code: 'forbidden', message: 'Only Kommo account admins can set up the Digital Pipeline action', retryable: false } } },
  textStatus: 'error',
};
/** The server: the token and the settings view by path. */
function server(token: AjaxAnswer = { ok: true, status: 200, data: { token: 'tok_123' } }) {
  return (ajax: AjaxOptions): AjaxAnswer => (ajax.url.endsWith('/dp-token') ? token : { ok: true, status: 200, data: settingsView() });
}
const calls = (widget: unknown) => (widget as StubSelf).ajaxCalls.map((call) => `${call.method} ${call.url}`).sort();

describe('dpSettings', () => {
  beforeEach(() => {
    win.APP = { data: { current_card: false }, lang_id: 'en' };
  });
  afterEach(() => {
    unmountAll();
    document.body.innerHTML = '';
  });

  it("fills the installation's token into the hidden token field, announcing the change", async () => {
    actionForm(true);
    const field = input('lfk_dp_token');
    const changes: string[] = [];
    field?.addEventListener('change', () => changes.push(field.value));
    const { widget } = makeWidget('digital_pipeline', server());
    expect(widget.callbacks.dpSettings()).toBe(true);
    await waitFor(() => expect(field?.value).toBe('tok_123'));
    expect(changes).toEqual(['tok_123']);
    expect(calls(widget)).toEqual(['GET https://backend.test/api/widget/dp-token', 'GET https://backend.test/api/widget/settings']);
    expect(field?.closest<HTMLElement>('.widget_settings_block__item_field')?.style.display).toBe('none');
    expect(input('labels')?.closest<HTMLElement>('.widget_settings_block__item_field')?.style.display).toBe('');
  });

  it('says why when the server refuses the token, and keeps the text fields without the lists', async () => {
    actionForm(true, { team: 'OPS' });
    const { widget } = makeWidget('digital_pipeline', () => refused);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    widget.callbacks.dpSettings();
    const alert = await waitFor(() => {
      const found = document.querySelector('[role="alert"]');
      expect(found).not.toBeNull();
      return found;
    });
    expect(alert?.textContent).toContain("could not fill in this action's connection token (Only Kommo account admins can set up the Digital Pipeline action)");
    expect(input('lfk_dp_token')?.value).toBe('');
    await waitFor(() => expect(warn).toHaveBeenCalledTimes(2));
    expect(document.querySelector('select')).toBeNull();
    expect(input('team')?.style.display).toBe('');
    warn.mockRestore();
  });

  it('turns team, project and state into pickers that write the text the server reads; no token call without a token field', async () => {
    actionForm(false, { team: 'ENG', state: 'Old name' });
    const { widget } = makeWidget('digital_pipeline', server());
    widget.callbacks.dpSettings();
    await waitFor(() => expect(picker('team')).not.toBeNull());
    expect(calls(widget)).toEqual(['GET https://backend.test/api/widget/settings']);
    expect(options('team')).toEqual(['', 'ENG', 'OPS']);
    expect(picker('team')?.value).toBe('ENG');
    expect(options('project')).toEqual(['', 'Onboarding']);
    // A state the lists lack (renamed since) stays selectable.
    expect(options('state')).toEqual(['', 'Backlog', 'Todo', 'In Progress', 'Old name']);
    expect(input('team')?.style.display).toBe('none');

    const team = picker('team');
    const changes: string[] = [];
    input('team')?.addEventListener('change', () => changes.push(input('team')?.value ?? ''));
    if (team) {
      team.value = 'OPS';
      team.dispatchEvent(new Event('change'));
    }
    expect(changes).toEqual(['OPS']);
    expect(options('state')).toEqual(['', 'Triage', 'Queued', 'Old name']);
    const state = picker('state');
    if (state) {
      state.value = 'Triage';
      state.dispatchEvent(new Event('change'));
    }
    expect(input('state')?.value).toBe('Triage');
  });
});
