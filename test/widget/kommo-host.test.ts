/** @jest-environment jsdom */
/** The typed facade over Kommo's `self` and `APP`. */
import { createKommoHost } from '../../widget/src/host/kommo-host';
import type { KommoApp } from '../../widget/src/host/kommo-types';
import { localeFile, stubSelfPrototype } from './support/stub-self';

describe('Kommo host facade', () => {
  it('reads the lead id: the card id, 0 for a new deal, null outside cards', () => {
    let app: KommoApp = { data: { current_card: { id: '42' } } };
    const host = createKommoHost(stubSelfPrototype(), () => app, document);
    expect(host.leadId()).toBe(42);
    app = { data: { current_card: { id: 0 } } };
    expect(host.leadId()).toBe(0);
    app = { data: { current_card: false } };
    expect(host.leadId()).toBeNull();
  });

  it('takes the language from APP.lang_id, then the page, else English', () => {
    let app: KommoApp | undefined = { lang_id: 'pt' };
    const host = createKommoHost(stubSelfPrototype(), () => app, document);
    expect(host.language()).toBe('pt');
    app = undefined;
    document.documentElement.lang = 'ru-RU';
    expect(host.language()).toBe('ru');
    document.documentElement.lang = 'de';
    expect(host.language()).toBe('en');
  });

  it('speaks Turkish and Indonesian, the other languages Kommo serves', () => {
    let app: KommoApp | undefined = { lang_id: 'tr' };
    const host = createKommoHost(stubSelfPrototype(), () => app, document);
    expect(host.language()).toBe('tr');
    app = { lang_id: 'id' };
    expect(host.language()).toBe('id');
    app = undefined;
    document.documentElement.lang = 'id-ID';
    expect(host.language()).toBe('id');
  });

  it("reads a group of the user's strings with self.i18n, else self.langs; none for English or a language without a file", () => {
    const turkish = localeFile('tr') as { panel: object; settings_page: object };
    let app: KommoApp = { lang_id: 'tr' };
    const self = stubSelfPrototype({ language: 'tr' });
    const host = createKommoHost(self, () => app, document);
    expect(host.strings('panel')).toEqual(turkish.panel);
    expect(host.strings('settings_page')).toEqual(turkish.settings_page);

    // A host whose i18n echoes the key (or has none) still has the file as self.langs.
    const echoing = createKommoHost({ ...self, i18n: (key: string) => key }, () => app, document);
    expect(echoing.strings('panel')).toEqual(turkish.panel);
    const { i18n: _dropped, ...withoutI18n } = self;
    expect(createKommoHost(withoutI18n, () => app, document).strings('panel')).toEqual(turkish.panel);
    expect(createKommoHost(stubSelfPrototype({ langs: null }), () => app, document).strings('panel')).toBeUndefined();

    app = { lang_id: 'en' };
    expect(host.strings('panel')).toBeUndefined();
    app = { lang_id: 'de' };
    expect(host.strings('panel')).toBeUndefined();
  });

  it('has no server URL with an empty setting and nothing baked in (the unbuilt source)', () => {
    const host = createKommoHost(stubSelfPrototype({ settings: { server_url: '  ', widget_code: 'lfk' } }), () => undefined, document);
    expect(host.serverUrl()).toBe('');
  });

  it('reads settings: server URL without trailing slash, widget code, settings link', () => {
    const host = createKommoHost(stubSelfPrototype({ settings: { server_url: ' https://b.test/// ', widget_code: 'lfk' } }), () => undefined, document);
    expect(host.serverUrl()).toBe('https://b.test');
    expect(host.settingsUrl()).toBe('/settings/widgets/lfk/');
  });

  it('sends JSON through $authorizedAjax with a timeout and resolves success and failure', async () => {
    const self = stubSelfPrototype({
      answer: (ajax) =>
        ajax.method === 'POST'
          ? { ok: false, xhr: { status: 409, responseText: '{"error":{"code":"x","message":"y"}}' }, textStatus: 'error' }
          : { ok: true, status: 200, data: { fine: true } },
    });
    const host = createKommoHost(self, () => undefined, document);
    expect(await host.authorizedRequest({ method: 'GET', url: 'https://b.test/a', timeoutMs: 100 })).toEqual({
      status: 200,
      body: { fine: true },
      textStatus: 'success',
    });
    const failed = await host.authorizedRequest({ method: 'POST', url: 'https://b.test/b', body: { issue: 'ENG-1' }, timeoutMs: 100 });
    expect(failed).toEqual({ status: 409, body: { error: { code: 'x', message: 'y' } }, textStatus: 'error' });
    expect(self.ajaxCalls[1]).toEqual({
      url: 'https://b.test/b',
      method: 'POST',
      dataType: 'json',
      contentType: 'application/json',
      data: '{"issue":"ENG-1"}',
      timeout: 100,
    });
  });

  it('renders the sidebar block and returns the element to mount into', () => {
    const host = createKommoHost(stubSelfPrototype(), () => undefined, document);
    const element = host.renderBlock('lfk-test-block');
    expect(element?.className).toBe('lfk-test-block');
    expect(element?.parentElement?.className).toBe('lfk-test-block-caption');
  });
});
