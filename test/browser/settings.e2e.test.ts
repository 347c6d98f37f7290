/**
 * The widget's settings in a real browser, end to end (issue 5): headless Chromium opens Kommo's
 * Settings → Integrations on the Kommo-like host (test/kommo-host), the widget's tile opens the
 * settings modal (`settings($modal_body)`), whose link leads to the advanced settings page
 * (`advancedSettings()` into `#work-area-<code>`), both loaded from the built dist/widget the way
 * Kommo loads them. The server was deployed with a Linear key Linear refuses; an admin pastes the
 * right one, picks a team, maps a Kommo user to a Linear user, previews a deal, saves, and a Won
 * deal then follows the saved settings. A non-admin only gets the read-only explanation.
 * Screenshots of every step go to test-artifacts/settings/; the filled page to docs/images/settings.png.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { SettingsViewSchema } from '../../shared/settings-api';
import { DEFAULT_API_KEY } from '../fakes/linear';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';
import { DEFAULT_WIDGET_CODE, startKommoHost, type KommoHost } from '../kommo-host';
import { launchChromium, requireBuiltWidget, screenshots } from './support';

const WIDGET_DIR = requireBuiltWidget();
const shots = screenshots('settings');
/** What the server was deployed with: a key Linear does not know (revoked, mistyped…). */
const STALE_KEY = 'lin_api_revoked_key_0123456789';

describe('Widget settings in Kommo (Chromium)', () => {
  let stack: Stack | undefined;
  let host: KommoHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Whether the signed-in Kommo user is an account admin (the token's `is_admin`). */
  let admin = true;
  const pageErrors: string[] = [];
  const settingsCalls: Array<{ method: string; path: string; status: number }> = [];

  const live = (): Stack => {
    if (!stack) throw new Error('the stack is not started');
    return stack;
  };

  beforeAll(async () => {
    host = await startKommoHost({
      widgetDir: WIDGET_DIR,
      backendUrl: () => live().server.url,
      kommoApi: () => (stack ? { url: stack.kommo.baseUrl, accessToken: stack.kommo.accessToken } : undefined),
      account: () => ({ id: live().kommo.account.accountId, subdomain: live().kommo.account.subdomain }),
      user: () => ({ id: live().kommo.defaults.userId, name: 'Alice Manager', email: 'alice@example.com' }),
      isAdmin: () => admin,
      signToken: ({ user, isAdmin, origin }) => live().widgetToken({ iss: origin, user_id: user.id, is_admin: isAdmin }),
    });
    // PUBLIC_URL only names the server in the page (webhook URLs) and in the token's audience: the
    // browser calls the server at its loopback URL; nothing is registered at start.
    stack = await startStack({
      env: { KOMMO_BASE_URL: host.url, LINEAR_API_KEY: STALE_KEY, PUBLIC_URL: 'https://linear-kommo.example.com', REGISTER_WEBHOOKS: 'false' },
    });
    const { db } = stack;
    await waitFor('the Kommo account to be learned', async () => (await db.db('installations').first())?.kommo_account_id);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response: Response) => {
      const url = response.url();
      const prefix = `${live().server.url}/api/widget/settings`;
      if (url.startsWith(prefix) && response.request().method() !== 'OPTIONS') {
        settingsCalls.push({ method: response.request().method(), path: url.slice(prefix.length) || '/', status: response.status() });
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await stack?.close();
  });

  const workArea = () => page.locator(`#work-area-${DEFAULT_WIDGET_CODE}`);
  const hostLog = () => page.evaluate(() => (window as unknown as { kommoHost: { log: string[] } }).kommoHost.log.slice());
  const savedView = async () => {
    const response = await fetch(`${live().server.url}/api/widget/settings`, { headers: { 'x-auth-token': live().widgetToken({ is_admin: true }) } });
    expect(response.status).toBe(200);
    return SettingsViewSchema.parse(await response.json());
  };

  it('an admin connects Linear, picks a team, maps a user, previews and saves; a Won deal follows', async () => {
    const { kommo, linear } = live();
    const ops = linear.store.addTeam({ key: 'OPS', name: 'Operations' });
    linear.store.addUser({ name: 'Alice Manager', email: 'alice@example.com' });
    const dana = linear.store.addUser({ name: 'Dana Developer', email: 'dana@example.com' });
    // A Kommo manager with no Linear account of the same email: unmatched until mapped by hand.
    const bob = kommo.addUser({ name: 'Bob Seller', email: 'bob.seller@example.com' });
    const contact = kommo.addContact({ name: 'Nora Lind', email: 'nora@northwind.example', phone: '+1 555 0142' });
    const lead = kommo.addLead({
      name: 'Northwind: warehouse sync',
      price: 8_400,
      responsibleUserId: bob.id,
      statusId: kommo.defaults.openStatusIds[0],
      contactIds: [contact.id],
      mainContactId: contact.id,
      // No spec, and a deadline already past: the preview warns about both.
      customFields: { [kommo.defaults.deadlineFieldId]: new Date('2024-03-01T12:00:00Z') },
    });

    // 1. Settings → Integrations → the widget's tile: Kommo's modal with the manifest's field and the
    //    widget's connection line (settings($modal_body)); the key the server has is refused.
    await page.goto(host.widgetsUrl());
    await page.locator('[data-testid="widget-tile"][data-ready="true"]').waitFor();
    await page.getByTestId('widget-tile').click();
    const modal = page.getByTestId('widget-modal');
    await modal.waitFor();
    await expect(modal.getByLabel('Server address (https://…)').inputValue()).resolves.toBe(live().server.url);
    const summary = modal.getByTestId('settings-summary');
    await summary.locator('[role="status"][aria-busy="false"]').waitFor();
    await expect(summary.textContent()).resolves.toMatch(/^Linear: .*refused.*Open the Linear settings page$/i);
    expect(await hostLog()).toEqual(['loaded', 'render:true', 'init:true', 'bind_actions:true', 'settings:true']);
    await shots.take(page, '01-settings-modal');

    // 2. Its link opens the advanced settings page: advancedSettings() draws into #work-area-<code>.
    await summary.getByRole('link', { name: 'Open the Linear settings page' }).click();
    await page.waitForURL(host.advancedSettingsUrl());
    await workArea().locator('.lfk-settings').waitFor();
    await workArea().getByRole('heading', { name: 'Linear', exact: true }).waitFor({ timeout: 20_000 });
    expect(await hostLog()).toEqual(['loaded', 'render:true', 'init:true', 'bind_actions:true', 'advancedSettings:true']);
    expect(await page.evaluate(() => (window as unknown as { APP: { getWidgetsArea(): string } }).APP.getWidgetsArea())).toBe(`advanced-settings:${DEFAULT_WIDGET_CODE}`);
    const problem = workArea().locator('.lfk-connection .lfk-warning');
    await expect(problem.textContent()).resolves.toMatch(/refused/i);
    await expect(workArea().getByTestId('linear-connected').count()).resolves.toBe(0);
    await shots.take(page, '02-key-refused');

    // 3. Paste the right key: checked by the server at once, the workspace shows as connected.
    const keyBox = workArea().getByLabel('Linear API key');
    if (!(await keyBox.isVisible())) await workArea().getByRole('button', { name: 'Replace key' }).click();
    await keyBox.fill(DEFAULT_API_KEY);
    await workArea().getByRole('button', { name: 'Connect', exact: true }).click();
    const connected = workArea().getByTestId('linear-connected');
    await connected.waitFor();
    await expect(connected.textContent()).resolves.toMatch(/^Connected to the .+ workspace as Kommo Bot\.$/);
    await expect(problem.count()).resolves.toBe(0);
    await shots.take(page, '03-connected');

    // 4. Pick the second team, then map Bob (no Linear user by email) to Dana by hand.
    const team = workArea().getByLabel('Default team');
    await expect(team.locator('option').allTextContents()).resolves.toEqual(expect.arrayContaining(['Engineering (ENG)', 'Operations (OPS)']));
    await team.selectOption('OPS');
    const bobRow = workArea().getByTestId(`user-${bob.id}`);
    await expect(bobRow.getAttribute('data-matched')).resolves.toBe('false');
    await expect(bobRow.textContent()).resolves.toContain('No Linear user');
    const aliceRow = workArea().getByTestId(`user-${kommo.defaults.userId}`);
    await expect(aliceRow.textContent()).resolves.toContain('by email');
    await workArea().getByLabel('Linear user for Bob Seller').selectOption(dana.id);
    await expect(bobRow.getAttribute('data-matched')).resolves.toBe('true');
    await expect(bobRow.textContent()).resolves.toContain('Dana Developer');
    await expect(bobRow.textContent()).resolves.toContain('chosen by hand');
    await workArea().getByText('Unsaved changes').waitFor();
    await bobRow.scrollIntoViewIfNeeded();
    await shots.take(page, '04-team-and-user');

    // 5. Preview the deal with the unsaved form: nothing is created.
    const issuesBefore = linear.store.issues().length;
    await workArea().getByLabel('Deal id').fill(String(lead.id));
    await workArea().getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = workArea().getByTestId('preview');
    await preview.waitFor();
    await expect(preview.getByRole('heading').textContent()).resolves.toBe(lead.name);
    const meta = Object.fromEntries(
      await preview.locator('dl.lfk-meta dt').evaluateAll((dts) => dts.map((dt) => [dt.textContent ?? '', dt.nextElementSibling?.textContent ?? ''])),
    ) as Record<string, string>;
    expect(meta).toMatchObject({ Team: 'Operations', Assignee: 'Dana Developer', Priority: 'High' });
    await expect(preview.locator('pre').textContent()).resolves.toContain('Nora Lind');
    const warnings = await preview.getByRole('list', { name: 'Warnings' }).locator('li').allTextContents();
    expect(warnings).toEqual(expect.arrayContaining(['The "Spec" field is empty', 'The deadline 2024-03-01 is in the past']));
    expect(linear.store.issues()).toHaveLength(issuesBefore);
    await preview.scrollIntoViewIfNeeded();
    await shots.take(page, '05-preview');

    // 6. Save: one PUT, the success message, and the change at the top of the history.
    await workArea().getByRole('button', { name: 'Save', exact: true }).click();
    await workArea().getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    const history = workArea().locator('.lfk-changes li').first();
    await history.waitFor();
    await expect(history.textContent()).resolves.toMatch(/Alice Manager.*Changed .*team.*userOverrides/);
    await history.scrollIntoViewIfNeeded();
    await shots.take(page, '06-saved');
    const saved = await savedView();
    expect(saved.settings.team).toBe('OPS');
    expect(saved.settings.userOverrides).toEqual([{ kommo: bob.id, linear: dana.id }]);
    expect(saved.changes[0]).toMatchObject({ userId: kommo.defaults.userId });

    // The filled page, whole, for the README: a viewport as tall as the page (a full-page shot of a
    // short viewport would paint the sticky Save bar over the middle of the page).
    const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.min(height, 4000) });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots.dir, '07-settings-page.png') });
    await page.setViewportSize(viewport);
    shots.publish('07-settings-page', 'docs/images/settings.png');

    // 7. The deal is won (Kommo's webhook through the stack): the issue lands in OPS, assigned to Dana.
    kommo.setLeadStatus(lead.id, kommo.defaults.wonStatusId);
    expect((await live().sendWon(lead.id)).status).toBe(200);
    const issue = await waitFor('the issue of the won deal', () => linear.store.issues().find((i) => i.title === lead.name), 30_000);
    expect(issue.teamId).toBe(ops.id);
    expect(issue.identifier).toMatch(/^OPS-\d+$/);
    expect(issue.assigneeId).toBe(dana.id);
    expect(issue.priority).toBe(2);
    await waitFor('the deal to get the identifier', () => kommo.fieldValue(lead.id, 'Linear issue') === issue.identifier);

    // 8. The Linear webhook was made by hand in Linear: its signing secret is pasted here, and a
    // delivery signed with it is accepted at once.
    const handMade = `lin_wh_${'h'.repeat(28)}`;
    const hook = workArea().getByTestId('webhook-Linear');
    await hook.scrollIntoViewIfNeeded();
    await hook.getByLabel(/signing secret/i).fill(handMade);
    const answered = page.waitForResponse((r) => r.url().endsWith('/settings/linear-webhook-secret') && r.request().method() === 'PUT');
    await hook.getByRole('button', { name: 'Save secret' }).click();
    expect((await answered).status()).toBe(200);
    await waitFor('the secret field to clear', async () => (await hook.getByLabel(/signing secret/i).inputValue()) === '');
    await hook.getByText('set up by hand; signing secret saved').waitFor();
    await shots.take(page, '07b-linear-webhook-secret');
    const signed = linear.buildIssueWebhook(issue.id, 'update', {}, { secret: handMade });
    const delivery = await fetch(`${live().server.url}/webhooks/linear`, { method: 'POST', headers: signed.headers, body: signed.rawBody });
    expect(delivery.status).toBe(200);

    expect(settingsCalls.filter((c) => c.method === 'PUT')).toEqual([
      { method: 'PUT', path: '/', status: 200 },
      { method: 'PUT', path: '/linear-webhook-secret', status: 200 },
    ]);
    expect(settingsCalls.filter((c) => c.method === 'POST' && c.path === '/linear-key')).toEqual([{ method: 'POST', path: '/linear-key', status: 200 }]);
    expect(pageErrors).toEqual([]);
  });

  it('a non-admin sees the read-only explanation, in the page and in the modal', async () => {
    admin = false;
    try {
      const refused = page.waitForResponse((r) => r.url() === `${live().server.url}/api/widget/settings` && r.request().method() === 'GET');
      await page.goto(host.advancedSettingsUrl());
      expect((await refused).status()).toBe(403);
      const readOnly = workArea().getByTestId('read-only');
      await readOnly.waitFor();
      await expect(readOnly.textContent()).resolves.toBe('Only Kommo administrators can change these settings; you can look at them.');
      await expect(workArea().getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);
      await expect(workArea().getByLabel('Linear API key').count()).resolves.toBe(0);
      await shots.take(page, '08-non-admin-page');

      await page.goto(host.widgetsUrl());
      await page.locator('[data-testid="widget-tile"][data-ready="true"]').waitFor();
      await page.getByTestId('widget-tile').click();
      const summary = page.getByTestId('settings-summary');
      await summary.getByText('Only Kommo administrators can change these settings').waitFor();
      await shots.take(page, '09-non-admin-modal');
      expect(pageErrors).toEqual([]);
    } finally {
      admin = true;
    }
  });
});
