/** @jest-environment jsdom */
/**
 * The `dpSettings` callback in a marketplace build's Digital Pipeline action form: it asks the
 * server for the installation's token, writes it into the hidden token field as typing would
 * (Kommo's form hears `change`), hides the field, and says so when the token cannot be had.
 */
import { waitFor } from '@testing-library/preact';
import { unmountAll } from '../../widget/src/mount';
import { makeWidget, win } from './support/make-widget';
import type { StubSelf } from './support/stub-self';

/** Kommo's action form, as its DP editor draws it: each setting in a field wrapper. */
function actionForm(withToken: boolean, value = ''): HTMLInputElement | null {
  document.body.innerHTML = `
    <div data-action="send_widget_hook">
      <div class="widget_settings_block__item_field"><span>Team</span><input name="team" value="OPS"></div>
      ${withToken ? `<div class="widget_settings_block__item_field"><span>Token</span><input name="lfk_dp_token" value="${value}"></div>` : ''}
    </div>`;
  return document.querySelector<HTMLInputElement>('input[name="lfk_dp_token"]');
}

describe('dpSettings', () => {
  beforeEach(() => {
    win.APP = { data: { current_card: false }, lang_id: 'en' };
  });
  afterEach(() => {
    unmountAll();
    document.body.innerHTML = '';
  });

  it("fills the installation's token into the hidden token field, announcing the change", async () => {
    const field = actionForm(true);
    const changes: string[] = [];
    field?.addEventListener('change', () => changes.push(field.value));
    const { widget } = makeWidget('digital_pipeline', () => ({ ok: true, status: 200, data: { token: 'tok_123' } }));
    expect(widget.callbacks.dpSettings()).toBe(true);
    await waitFor(() => expect(field?.value).toBe('tok_123'));
    expect(changes).toEqual(['tok_123']);
    expect((widget as unknown as StubSelf).ajaxCalls.map((call) => [call.method, call.url])).toEqual([['GET', 'https://backend.test/api/widget/dp-token']]);
    expect(field?.closest<HTMLElement>('.widget_settings_block__item_field')?.style.display).toBe('none');
    expect(document.querySelector<HTMLElement>('input[name="team"]')?.closest<HTMLElement>('div')?.style.display).toBe('');
  });

  it('says why when the server refuses, and leaves a form without a token field alone', async () => {
    const field = actionForm(true);
    const { widget } = makeWidget('digital_pipeline', () => ({
      ok: false,
      xhr: { status: 403, responseJSON: { error: { code: 'forbidden', message: 'Only Kommo account admins can set up the Digital Pipeline action', retryable: false } } },
      textStatus: 'error',
    }));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    widget.callbacks.dpSettings();
    const alert = await waitFor(() => {
      const found = document.querySelector('[role="alert"]');
      expect(found).not.toBeNull();
      return found;
    });
    expect(alert?.textContent).toContain("could not fill in this action's connection token (Only Kommo account admins can set up the Digital Pipeline action)");
    expect(field?.value).toBe('');
    warn.mockRestore();

    // A self-hosted build's form has no token field: after Kommo had every chance to draw it, no call.
    actionForm(false);
    jest.useFakeTimers();
    const selfHosted = makeWidget('digital_pipeline', () => ({ ok: true, status: 200, data: { token: 'x' } })).widget;
    selfHosted.callbacks.dpSettings();
    await jest.runAllTimersAsync();
    jest.useRealTimers();
    expect((selfHosted as unknown as StubSelf).ajaxCalls).toEqual([]);
    expect(document.querySelector('[role="alert"]')).toBeNull();
  });
});
