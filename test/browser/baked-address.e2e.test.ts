/**
 * The server address baked into the widget, in a real browser: a copy of the built dist/widget
 * whose script.js gets the server's address written into its marker (as the build does with
 * WIDGET_SERVER_URL, and as a server handing out its own zip would), installed on the Kommo-like
 * host with the `server_url` setting left empty. The card and the settings modal reach the server
 * with nothing typed; with the marker emptied, they say the widget is not configured.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { countServerUrlMarkers, withServerUrl } from '../../shared/server-url-marker';
import { startStack, type Stack } from '../helpers/stack';
import { startKommoHost, type KommoHost } from '../kommo-host';
import { launchChromium, requireBuiltWidget, screenshots } from './support';

const BUILT = requireBuiltWidget();
const shots = screenshots('baked-address');

describe('Widget with its server address baked in (Chromium)', () => {
  let stack: Stack | undefined;
  let host: KommoHost;
  let browser: Browser;
  let page: Page;
  const widgetDir = mkdtempSync(join(tmpdir(), 'lfk-widget-'));
  const builtScript = readFileSync(join(BUILT, 'script.js'), 'utf8');
  const serverCalls: string[] = [];
  const pageErrors: string[] = [];

  const live = (): Stack => {
    if (!stack) throw new Error('the stack is not started');
    return stack;
  };
  /** Writes `address` into the installed copy's script.js, as a server patching its zip would. */
  const bake = (address: string) => writeFileSync(join(widgetDir, 'script.js'), withServerUrl(builtScript, address));

  beforeAll(async () => {
    cpSync(BUILT, widgetDir, { recursive: true });
    host = await startKommoHost({
      widgetDir,
      // No backendUrl: the admin left the widget's server_url setting empty.
      kommoApi: () => (stack ? { url: stack.kommo.baseUrl, accessToken: stack.kommo.accessToken } : undefined),
      account: () => ({ id: live().kommo.account.accountId, subdomain: live().kommo.account.subdomain }),
      user: () => ({ id: live().kommo.defaults.userId, name: 'Alice Manager', email: 'alice@example.com' }),
      isAdmin: true,
      signToken: ({ user, isAdmin, origin }) => live().widgetToken({ iss: origin, user_id: user.id, is_admin: isAdmin }),
    });
    stack = await startStack({ env: { KOMMO_BASE_URL: host.url } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (request.url().startsWith(live().server.url) && request.method() !== 'OPTIONS') serverCalls.push(request.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await stack?.close();
    rmSync(widgetDir, { recursive: true, force: true });
  });

  it('reaches the server it was built for, with the server_url setting left empty', async () => {
    expect(countServerUrlMarkers(builtScript)).toBe(1);
    bake(live().server.url);
    const { kommo } = live();
    const lead = kommo.addLead({ name: 'Orbit Labs: onboarding', price: 4_000, statusId: kommo.defaults.openStatusIds[0] });

    await page.goto(host.cardUrl(lead.id));
    await page.locator('.kh-sidebar .lfk').getByText('No Linear issue is linked to this deal yet.').waitFor();
    expect(serverCalls).toEqual([`${live().server.url}/api/widget/leads/${lead.id}`]);
    await shots.take(page, '01-card-baked');

    await page.goto(host.widgetsUrl());
    await page.locator('[data-testid="widget-tile"][data-ready="true"]').waitFor();
    await page.getByTestId('widget-tile').click();
    const modal = page.getByTestId('widget-modal');
    await expect(modal.getByLabel('Server address (https://…)').inputValue()).resolves.toBe('');
    const summary = modal.getByTestId('settings-summary');
    await summary.locator('[role="status"][aria-busy="false"]').waitFor();
    await expect(summary.textContent()).resolves.toMatch(/^Linear: .*Open the Linear settings page$/);
    expect(serverCalls.at(-1)).toBe(`${live().server.url}/api/widget/settings`);
    await shots.take(page, '02-settings-baked');
    expect(pageErrors).toEqual([]);
  });

  it('with no address baked in and none typed, says it is not configured and calls nobody', async () => {
    bake('');
    const { kommo } = live();
    const lead = kommo.addLead({ name: 'Orbit Labs: renewal', price: 2_000, statusId: kommo.defaults.openStatusIds[0] });
    const before = serverCalls.length;

    await page.goto(host.cardUrl(lead.id));
    await page.locator('.kh-sidebar .lfk').getByText('Not configured: the server address is missing.', { exact: false }).waitFor();
    await shots.take(page, '03-card-not-configured');

    await page.goto(host.widgetsUrl());
    await page.locator('[data-testid="widget-tile"][data-ready="true"]').waitFor();
    await page.getByTestId('widget-tile').click();
    await page.getByTestId('widget-modal').getByText('Not configured: this widget has no server address.', { exact: false }).waitFor();
    expect(serverCalls.length).toBe(before);
    expect(pageErrors).toEqual([]);
  });
});
