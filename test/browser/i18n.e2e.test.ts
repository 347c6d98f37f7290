/**
 * The widget's languages in a real browser: the Kommo-like host hands the widget the installed
 * package's `i18n/<account language>.json` as `self.i18n`/`self.langs`, as Kommo does, and the
 * card and the settings page speak it; script.js itself carries only English. The installed copy
 * (a copy of dist/widget) has one Turkish key removed at the end: that label falls back to English.
 * Screenshots go to test-artifacts/i18n/.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { DEFAULT_WIDGET_CODE, startKommoHost, type KommoHost } from '../kommo-host';
import { launchChromium, requireBuiltWidget, screenshots } from './support';

const BUILT = requireBuiltWidget();
const shots = screenshots('i18n');

type Locale = { widget: { name: string }; panel: Record<string, string>; settings_page: Record<string, string> };

describe('Widget languages from Kommo’s i18n (Chromium)', () => {
  let stack: Stack | undefined;
  let host: KommoHost;
  let browser: Browser;
  let page: Page;
  /** The account's language, read by the host at every page (`APP.lang_id`, the i18n file it serves). */
  let language = 'en';
  const widgetDir = mkdtempSync(join(tmpdir(), 'lfk-widget-i18n-'));
  const localePath = (lang: string) => join(widgetDir, 'i18n', `${lang}.json`);
  const locale = (lang: string) => JSON.parse(readFileSync(localePath(lang), 'utf8')) as Locale;
  const pageErrors: string[] = [];

  const live = (): Stack => {
    if (!stack) throw new Error('the stack is not started');
    return stack;
  };

  beforeAll(async () => {
    cpSync(BUILT, widgetDir, { recursive: true });
    host = await startKommoHost({
      widgetDir,
      backendUrl: () => live().server.url,
      kommoApi: () => (stack ? { url: stack.kommo.baseUrl, accessToken: stack.kommo.accessToken } : undefined),
      account: () => ({ id: live().kommo.account.accountId, subdomain: live().kommo.account.subdomain }),
      user: () => ({ id: live().kommo.defaults.userId, name: 'Alice Manager', email: 'alice@example.com' }),
      language: () => language,
      isAdmin: true,
      signToken: ({ user, isAdmin, origin }) => live().widgetToken({ iss: origin, user_id: user.id, is_admin: isAdmin }),
    });
    stack = await startStack({ env: { KOMMO_BASE_URL: host.url } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await stack?.close();
    rmSync(widgetDir, { recursive: true, force: true });
  });

  const panel = () => page.locator('.kh-sidebar .lfk');
  const openCard = async (lang: string) => {
    language = lang;
    const { kommo } = live();
    const lead = kommo.addLead({ name: `Deal in ${lang}`, price: 1_000, statusId: kommo.defaults.openStatusIds[0] });
    await page.goto(host.cardUrl(lead.id));
  };

  it.each(['tr', 'id'])('renders the card in %s from the installed i18n file', async (lang) => {
    const strings = locale(lang);
    await openCard(lang);
    await panel().getByText(strings.panel.empty ?? '?').waitFor();
    await expect(panel().getByRole('button', { name: strings.panel.create }).isVisible()).resolves.toBe(true);
    await expect(panel().getByRole('button', { name: strings.panel.link_existing }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.kh-widget__caption').textContent()).resolves.toContain(strings.widget.name);
    await shots.take(page, `card-${lang}`);
    expect(pageErrors).toEqual([]);
  });

  it('renders the settings page in Indonesian', async () => {
    language = 'id';
    const strings = locale('id');
    await page.goto(host.advancedSettingsUrl());
    const workArea = page.locator(`#work-area-${DEFAULT_WIDGET_CODE}`);
    await workArea.getByRole('heading', { name: strings.settings_page.page_title }).waitFor();
    await workArea.getByRole('button', { name: strings.settings_page.save, exact: true }).waitFor();
    await shots.take(page, 'settings-id');
    expect(pageErrors).toEqual([]);
  });

  it('speaks English for a language the package has no file for', async () => {
    await openCard('de');
    await panel().getByText('No Linear issue is linked to this deal yet.').waitFor();
    await expect(panel().getByRole('button', { name: 'Create Linear task' }).isVisible()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('falls back to English for a key missing from the installed Turkish file', async () => {
    const turkish = locale('tr');
    const { link_existing: removed, ...rest } = turkish.panel;
    expect(removed).not.toBe('Link existing');
    writeFileSync(localePath('tr'), JSON.stringify({ ...turkish, panel: rest }));
    await openCard('tr');
    await panel().getByRole('button', { name: turkish.panel.create }).waitFor();
    await expect(panel().getByRole('button', { name: 'Link existing' }).isVisible()).resolves.toBe(true);
    await expect(panel().getByText(turkish.panel.empty ?? '?').isVisible()).resolves.toBe(true);
    await shots.take(page, 'card-tr-missing-key');
    expect(pageErrors).toEqual([]);
  });
});
