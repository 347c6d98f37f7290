/** @jest-environment jsdom */
/**
 * The widget takes its strings from Kommo: the constructor's `self.i18n` (the installed package's
 * `i18n/<lang>.json` for the user's language), for the card and for settings.js; English, the only
 * bundled locale, fills what the host lacks.
 */
import { screen } from '@testing-library/preact';
import { unmountAll } from '../../widget/src/mount';
import { fakeRequire, makeWidget, win } from './support/make-widget';
import { settingsView } from './support/settings-fixtures';
import { localeFile } from './support/stub-self';

type Locale = { panel: Record<string, string>; settings_page: Record<string, string> };
const locale = (language: string) => localeFile(language) as Locale;

function openCard(language: string, langs?: Record<string, unknown> | null) {
  win.APP = { data: { current_card: { id: 7 } }, lang_id: language };
  const { widget } = makeWidget('lcard', undefined, { language, langs });
  widget.callbacks.render();
  return widget;
}

describe("the widget's strings from Kommo's i18n", () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });
  afterEach(() => {
    unmountAll();
    delete win.require;
  });

  it.each(['tr', 'id'])('renders a card in %s from the locale file the host serves', async (language) => {
    const { panel } = locale(language);
    openCard(language);
    expect(await screen.findByRole('button', { name: panel.create })).toBeTruthy();
    expect(screen.getByRole('button', { name: panel.link_existing })).toBeTruthy();
    expect(screen.getByRole('button', { name: panel.unlink })).toBeTruthy();
    expect(screen.getByText(panel.priority_2 ?? '?')).toBeTruthy();
  });

  it("shows the host's text, not a bundled one, and English for a key the host's file lacks", async () => {
    const turkish = locale('tr');
    const served = { ...turkish, panel: { ...turkish.panel, create: 'Görev aç', link_existing: undefined } };
    openCard('tr', served);
    expect(await screen.findByRole('button', { name: 'Görev aç' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Link existing' })).toBeTruthy();
    expect(screen.getByRole('button', { name: turkish.panel.unlink })).toBeTruthy();
  });

  it('speaks English on a host without i18n', async () => {
    openCard('tr', null);
    expect(await screen.findByRole('button', { name: 'Create Linear task' })).toBeTruthy();
  });

  it('speaks English for a language the package has no file for, even if the host serves another', async () => {
    openCard('de', localeFile('ru'));
    expect(await screen.findByRole('button', { name: 'Create Linear task' })).toBeTruthy();
  });

  it("hands settings.js the host's strings: the settings page in Indonesian", async () => {
    const indonesian = locale('id');
    win.APP = { data: { current_card: false }, lang_id: 'id' };
    win.require = fakeRequire([]);
    const { widget } = makeWidget('advanced_settings', () => ({ ok: true, status: 200, data: settingsView() }), { language: 'id' });
    const workArea = document.createElement('div');
    workArea.id = 'work-area-lfk';
    document.body.appendChild(workArea);
    widget.callbacks.advancedSettings();
    expect(workArea.textContent).toContain(indonesian.panel.settings_loading);
    expect(await screen.findByRole('heading', { name: indonesian.settings_page.page_title })).toBeTruthy();
    expect(await screen.findByRole('button', { name: indonesian.settings_page.save })).toBeTruthy();
  });
});
