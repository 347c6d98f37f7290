/**
 * The widget in a real browser, end to end: headless Chromium opens a deal card on the Kommo-like
 * host (test/kommo-host), which loads the built dist/widget/script.js through RequireJS the way
 * Kommo does; the widget calls the real server (HTTP, queue, database) with one-time tokens; the
 * server talks to the loopback Kommo and Linear fakes, and the fake Linear delivers signed webhooks
 * back. Screenshots of every state go to test-artifacts/browser/.
 */
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';
import { startKommoHost, type KommoHost } from '../kommo-host';
import { launchChromium, requireBuiltWidget, screenshots } from './support';

const WIDGET_DIR = requireBuiltWidget();
const shots = screenshots('browser');

describe('Widget in a Kommo deal card (Chromium)', () => {
  let stack: Stack | undefined;
  let host: KommoHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** The host signs with a wrong secret while true (a forged or foreign token). */
  let forge = false;
  const pageErrors: string[] = [];
  const widgetCalls: Promise<{ method: string; url: string; token: string | undefined; origin: string | undefined }>[] = [];

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
      signToken: ({ user, isAdmin, origin }) =>
        live().widgetToken({ iss: origin, user_id: user.id, is_admin: isAdmin }, forge ? { secret: 'not-the-integration-secret-0123456789' } : {}),
    });
    // The host is the account's Kommo origin (page + API, like https://acme.kommo.com), so the
    // server gets its URL as KOMMO_BASE_URL: CORS answers it and deal links point at its cards.
    stack = await startStack({
      env: { KOMMO_BASE_URL: host.url },
      // The deal's manager has a Linear account with the same email, so the issue gets an
      // assignee; it exists before the start, which loads the Linear users into the cache.
      beforeStart: ({ linear }) => void linear.store.addUser({ name: 'Alice Manager', email: 'alice@example.com' }),
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request: Request) => {
      if (!request.url().startsWith(`${live().server.url}/api/widget/`) || request.method() === 'OPTIONS') return;
      // allHeaders(): the headers as sent (Origin included), not Playwright's provisional ones.
      widgetCalls.push(
        request.allHeaders().then((headers) => ({ method: request.method(), url: request.url(), token: headers['x-auth-token'], origin: headers.origin })),
      );
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await stack?.close();
  });

  const seedDeal = (name: string) => {
    const { kommo } = live();
    const contact = kommo.addContact({ name: 'Maria Lopez', email: 'maria@acme-logistics.com', phone: '+1 555 0100' });
    return kommo.addLead({
      name,
      price: 12_500,
      statusId: kommo.defaults.openStatusIds[1] ?? kommo.defaults.openStatusIds[0],
      tags: ['Enterprise'],
      contactIds: [contact.id],
      mainContactId: contact.id,
      customFields: {
        [kommo.defaults.specFieldId]: '## Scope\n- Customer portal with SSO\n- Weekly usage report',
        [kommo.defaults.deadlineFieldId]: new Date('2027-01-15T12:00:00Z'),
      },
    });
  };
  const panel = () => page.locator('.kh-sidebar .lfk');
  const issueBlock = (identifier: string) => page.getByTestId(`issue-${identifier}`);
  const hostLog = () => page.evaluate(() => (window as unknown as { kommoHost: { log: string[] } }).kommoHost.log.slice());

  it('creates, follows, links and unlinks issues from the deal card, and survives a forged token', async () => {
    const { kommo, linear } = live();
    const lead = seedDeal('Acme Logistics: customer portal');
    const other = seedDeal('Borealis Foods: data export');
    const team = linear.store.findTeam('ENG');
    if (!team) throw new Error('no ENG team in the fake Linear');

    // 1. A deal without an issue: the block is in the sidebar, the callbacks ran in Kommo's order.
    await page.goto(host.cardUrl(lead.id));
    await page.getByTestId('deal-name').filter({ hasText: lead.name }).waitFor();
    await panel().getByText('No Linear issue is linked to this deal yet.').waitFor();
    expect(await hostLog()).toEqual(['loaded', 'render:true', 'init:true', 'bind_actions:true']);
    expect(await page.locator('.kh-sidebar .card-widgets__widget').count()).toBe(1);
    await expect(page.getByTestId('field-budget').textContent()).resolves.toContain('$12,500');
    await shots.take(page, '01-no-issue');

    // 2. Create: the Won job runs, the issue appears with its state, the card gets field and note.
    await panel().getByRole('button', { name: 'Create Linear task' }).click();
    const block = page.locator('[data-testid^="issue-ENG-"]');
    await block.first().waitFor({ timeout: 30_000 });
    const identifier = ((await block.first().getAttribute('data-testid')) ?? '').replace(/^issue-/, '');
    const created = linear.store.issue(identifier);
    expect(created?.title).toBe(lead.name);
    await expect(issueBlock(identifier).locator('.lfk-badge').textContent()).resolves.toBe('Backlog');
    await expect(issueBlock(identifier).locator('[data-state-type]').getAttribute('data-state-type')).resolves.toBe('backlog');
    await expect(issueBlock(identifier).locator('a.lfk-id').getAttribute('href')).resolves.toBe(created?.url);
    await expect(issueBlock(identifier).textContent()).resolves.toContain('Alice Manager');
    // The deal card (re-read every 3 s, as Kommo refreshes) shows the field and the note.
    await page.getByTestId('field-linear-issue').filter({ hasText: identifier }).waitFor({ timeout: 20_000 });
    await page.getByTestId('note').filter({ hasText: `Linear task created: ${identifier}` }).waitFor({ timeout: 20_000 });
    expect(kommo.fieldValue(lead.id, 'Linear issue')).toBe(identifier);
    // The back-link in Linear opens this very card.
    expect(linear.store.attachments().some((a) => a.issueId === created?.id && a.url === host.cardUrl(lead.id))).toBe(true);
    await shots.take(page, '02-issue-created');
    shots.publish('02-issue-created', 'docs/images/widget-card.png');

    // 3. Someone completes it in Linear; the signed webhook reaches the server; the card shows it.
    const done = linear.store.teamStates(team.id).find((s) => s.type === 'completed');
    if (!done || !created) throw new Error('no completed state or issue');
    const dana = linear.store.addUser({ name: 'Dana Developer', email: 'dana@example.com' });
    linear.store.updateIssue(created.id, { stateId: done.id }, dana.id);
    await waitFor(
      `${identifier} shown as completed`,
      async () => {
        await page.reload();
        const badge = issueBlock(identifier).locator('[data-state-type]');
        await badge.waitFor({ timeout: 5_000 });
        return (await badge.getAttribute('data-state-type')) === 'completed';
      },
      30_000,
    );
    await expect(issueBlock(identifier).locator('.lfk-badge').textContent()).resolves.toBe(done.name);
    await shots.take(page, '03-issue-completed');

    // 4. Link an existing issue by typing its identifier.
    const existing = linear.store.createIssue({ teamId: team.id, title: 'SSO for the customer portal', priority: 1, dueDate: '2026-12-20' });
    await panel().getByRole('button', { name: 'Link existing' }).click();
    await panel().getByRole('textbox', { name: 'Linear issue' }).fill(existing.identifier.toLowerCase());
    await panel().getByRole('button', { name: 'Link', exact: true }).click();
    await issueBlock(existing.identifier).waitFor();
    await expect(issueBlock(existing.identifier).textContent()).resolves.toContain('SSO for the customer portal');
    await expect(issueBlock(existing.identifier).textContent()).resolves.toContain('Urgent');
    expect(linear.store.attachments().some((a) => a.issueId === existing.id && a.url === host.cardUrl(lead.id))).toBe(true);
    await shots.take(page, '04-existing-linked');

    // 5. Unlink it (with the confirmation); the back-link goes away in Linear, the issue stays.
    await issueBlock(existing.identifier).getByRole('button', { name: 'Unlink' }).click();
    await issueBlock(existing.identifier).locator('.lfk-danger').click();
    await issueBlock(existing.identifier).waitFor({ state: 'detached' });
    await issueBlock(identifier).waitFor();
    await waitFor('the back-link removed', () => !linear.store.attachments().some((a) => a.issueId === existing.id && a.url === host.cardUrl(lead.id)));
    expect(linear.store.issue(existing.identifier)).toBeDefined();
    await page.reload();
    await issueBlock(identifier).waitFor();
    expect(await issueBlock(existing.identifier).count()).toBe(0);
    await shots.take(page, '05-existing-unlinked');

    // 6. Kommo is a single-page app: opening another deal fires page:changed and destroy, and the
    //    new card gets a fresh block.
    await page.evaluate((id) => (window as unknown as { kommoHost: { open(id: number): void } }).kommoHost.open(id), other.id);
    await page.getByTestId('deal-name').filter({ hasText: other.name }).waitFor();
    await panel().getByText('No Linear issue is linked to this deal yet.').waitFor();
    expect(await page.locator('.kh-sidebar .card-widgets__widget').count()).toBe(1);
    expect(await issueBlock(identifier).count()).toBe(0);
    expect((await hostLog()).slice(4)).toEqual(['page:changed', 'destroy', 'loaded', 'render:true', 'init:true', 'bind_actions:true']);

    // 7. A token the server cannot verify: an error the user can act on, not a crash.
    forge = true;
    const refused = page.waitForResponse((r) => r.url().startsWith(`${live().server.url}/api/widget/leads/${lead.id}`) && r.status() === 401);
    await page.goto(host.cardUrl(lead.id));
    await refused;
    const alert = panel().getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('Kommo could not confirm your session');
    await expect(panel().getByRole('button', { name: 'Try again' }).isVisible()).resolves.toBe(true);
    await shots.take(page, '06-forged-token');
    // Back to a good token: Try again recovers without a reload.
    forge = false;
    await panel().getByRole('button', { name: 'Try again' }).click();
    await issueBlock(identifier).waitFor();

    // Every widget call went from the Kommo origin with a one-time token; nothing threw in the page.
    const calls = await Promise.all(widgetCalls);
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) {
      expect(call.origin).toBe(host.url);
      expect(call.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    }
    expect(new Set(calls.map((c) => c.token)).size).toBe(calls.length);
    expect(pageErrors).toEqual([]);
  });
});
