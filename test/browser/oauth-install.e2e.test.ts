/**
 * A marketplace install with "Connect Linear", end to end in Chromium, with nothing typed: Kommo
 * installs the widget (its OAuth callback, as Kommo's servers send it), the widget reaches the
 * server through the address baked into its script.js, the admin opens the settings page, clicks
 * Connect Linear, approves on Linear's consent page in the popup, picks a team and saves; a won
 * deal then becomes an issue created by the app (author "Kommo", our icon) and shows in the card.
 * Disconnect revokes the grant at Linear, and the card says Linear is disconnected.
 * Screenshots of every step go to test-artifacts/oauth-install/.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { withServerUrl } from '../../shared/server-url-marker';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';
import { DEFAULT_WIDGET_CODE, startKommoHost, type KommoHost } from '../kommo-host';
import { launchChromium, requireBuiltWidget, screenshots } from './support';
import { freePort } from '../helpers/free-port';

const BUILT = requireBuiltWidget();
const shots = screenshots('oauth-install');
const ACCOUNT = 32000001;
const SUBDOMAIN = 'orbit';

describe('Marketplace install with Connect Linear (Chromium)', () => {
  let stack: Stack | undefined;
  let kommo: FakeKommo | undefined;
  let host: KommoHost;
  let browser: Browser;
  let page: Page;
  const widgetDir = mkdtempSync(join(tmpdir(), 'lfk-oauth-widget-'));
  const pageErrors: string[] = [];
  const typed: string[] = [];

  const live = (): Stack => {
    if (!stack) throw new Error('the stack is not started');
    return stack;
  };
  const account = (): FakeKommo => {
    if (!kommo) throw new Error('the Kommo account is not started');
    return kommo;
  };
  const installation = () => live().db.db('installations').where({ kommo_account_id: ACCOUNT }).first();
  const workArea = () => page.locator(`#work-area-${DEFAULT_WIDGET_CODE}`);

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    stack = await startStack({ linearOAuth: true, env: { PORT: String(port), PUBLIC_URL: publicUrl, KOMMO_OAUTH_HOSTS: '127.0.0.1:*' } });
    kommo = await startFakeKommo({ accountId: ACCOUNT, subdomain: SUBDOMAIN });
    kommo.oauth.configure({ clientId: live().client.id, clientSecret: live().client.secret, redirectUri: `${publicUrl}/oauth/kommo/callback` });
    // The package a marketplace admin uploads: the build with this server's address written in (/widget.zip does the same).
    cpSync(BUILT, widgetDir, { recursive: true });
    writeFileSync(join(widgetDir, 'script.js'), withServerUrl(readFileSync(join(BUILT, 'script.js'), 'utf8'), live().server.url));
    host = await startKommoHost({
      widgetDir,
      kommoApi: () => ({ url: account().baseUrl, accessToken: account().accessToken }),
      account: { id: ACCOUNT, subdomain: SUBDOMAIN },
      user: () => ({ id: account().defaults.userId, name: 'Alice Manager', email: 'alice@example.com' }),
      isAdmin: true,
      signToken: ({ user, isAdmin, origin }) => live().widgetToken({ account_id: ACCOUNT, subdomain: SUBDOMAIN, iss: origin, user_id: user.id, is_admin: isAdmin }),
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Whatever is typed into a field anywhere (page or popup) is recorded: the install must need none.
    await context.exposeBinding('lfkTyped', (_source, what: string) => void typed.push(what));
    await context.addInitScript(() => {
      document.addEventListener('input', (event) => {
        const target = event.target as HTMLInputElement | null;
        if (target && (target.type === 'text' || target.type === 'password' || target.tagName === 'TEXTAREA')) {
          void (window as unknown as { lfkTyped(what: string): Promise<void> }).lfkTyped(target.name || target.id || target.type);
        }
      }, true);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await kommo?.close();
    await stack?.close();
    rmSync(widgetDir, { recursive: true, force: true });
  });

  it('installs, connects Linear through its consent page, creates an issue as the app, then disconnects', async () => {
    const { linear } = live();
    const fake = account();

    // 1. Kommo installs the widget: its OAuth callback carries the account's code and host.
    const install = await fetch(`${live().server.url}/oauth/kommo/callback?${new URLSearchParams({ code: fake.oauth.issueCode(), referer: new URL(host.url).host, from_widget: '1' })}`);
    expect(install.status).toBe(200);
    await waitFor('the installation', async () => ((await installation())?.status === 'active' ? true : undefined));
    const hook = await waitFor('the Kommo webhook', async () => fake.webhooks().find((w) => w.destination.includes('/webhooks/kommo/')));

    // 2. The settings page: the checklist says what is left, and "Connect Linear" is the way in.
    await page.goto(host.advancedSettingsUrl());
    const checklist = workArea().getByTestId('setup-checklist');
    await checklist.waitFor({ timeout: 20_000 });
    await expect(checklist.getByTestId('setup-kommo').getAttribute('data-ok')).resolves.toBe('true');
    await expect(checklist.getByTestId('setup-linear').getAttribute('data-ok')).resolves.toBe('false');
    await expect(workArea().getByLabel('Linear API key').count()).resolves.toBe(0);
    await shots.take(page, '01-not-connected');

    // 3. Connect Linear: Linear's consent page in a popup; Approve; the popup closes itself.
    const popupOpened = page.waitForEvent('popup');
    await workArea().getByRole('button', { name: 'Connect Linear', exact: true }).click();
    const popup = await popupOpened;
    await popup.getByRole('button', { name: 'Approve' }).waitFor();
    expect(new URL(popup.url()).origin).toBe(linear.origin);
    await shots.take(popup, '02-consent');
    const closed = popup.waitForEvent('close');
    await popup.getByRole('button', { name: 'Approve' }).click();
    await closed;
    const connected = workArea().getByTestId('linear-connected');
    await connected.waitFor();
    await expect(connected.textContent()).resolves.toContain('through the Linear app');
    expect(await installation()).toMatchObject({ linear_oauth_status: 'connected', linear_organization_id: linear.store.organization.id });
    await shots.take(page, '03-connected');

    // 4. Pick the team and save.
    await workArea().getByLabel('Default team').selectOption('ENG');
    await workArea().getByRole('button', { name: 'Save', exact: true }).click();
    await workArea().getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await expect(checklist.getByTestId('setup-team').getAttribute('data-ok')).resolves.toBe('true');
    await expect(checklist.getByTestId('setup-linear').getAttribute('data-ok')).resolves.toBe('true');
    await shots.take(page, '04-saved');

    // 5. A deal is won: Kommo's webhook, then an issue created by the app, named as "Kommo", with our icon.
    const lead = fake.addLead({ name: 'Orbit Labs: rollout', price: 12_000, statusId: fake.defaults.openStatusIds[0] });
    fake.setLeadStatus(lead.id, fake.defaults.wonStatusId);
    expect(await fake.sendStatusWebhook(hook.destination.replace(live().config.publicUrl, live().server.url), lead.id)).toBe(200);
    const link = await waitFor('the linked issue', async () => live().db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first(), 40_000);
    const issue = linear.store.issuesById.get(String(link.linear_issue_id));
    expect(issue).toMatchObject({ createdByActor: 'app', createAsUser: 'Kommo', displayIconUrl: `${live().config.publicUrl}/app-icon.png` });
    expect(linear.requests.filter((r) => r.rootFields.includes('issueCreate')).map((r) => r.actor)).toEqual(['app']);
    await page.goto(host.cardUrl(lead.id));
    await page.locator('.kh-sidebar .lfk').getByText(issue?.identifier ?? '?').waitFor();
    await shots.take(page, '05-card-linked');

    // 6. Disconnect: revoked at Linear, forgotten; the card says Linear is disconnected.
    const revokes = linear.oauth.revokeCalls.length;
    await page.goto(host.advancedSettingsUrl());
    page.once('dialog', (dialog) => void dialog.accept());
    await workArea().getByRole('button', { name: 'Disconnect Linear' }).click();
    await workArea().getByRole('button', { name: 'Connect Linear', exact: true }).waitFor();
    expect(linear.oauth.revokeCalls.length).toBe(revokes + 1);
    expect(await installation()).toMatchObject({ linear_oauth_status: null, linear_oauth_access_enc: null });
    await page.goto(host.cardUrl(lead.id));
    const gone = page.locator('.kh-sidebar .lfk').getByTestId('linear-access');
    await gone.waitFor();
    await expect(gone.textContent()).resolves.toContain('Linear is disconnected');
    await shots.take(page, '06-card-disconnected');

    expect(typed).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
