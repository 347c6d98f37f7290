/**
 * The open deal card stays live, in a real browser: headless Chromium opens a card on the
 * Kommo-like host (test/kommo-host, the built script.js loaded through RequireJS as Kommo does),
 * the issue is completed in the fake Linear, whose signed webhook reaches the real server, and the
 * card shows it without a reload. The re-reads in between are conditional GETs answered 304.
 */
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { startKommoHost, type KommoHost } from '../kommo-host';
import { launchChromium, requireBuiltWidget, screenshots } from './support';

const WIDGET_DIR = requireBuiltWidget();
const shots = screenshots('browser-live');

describe('The deal card stays live (Chromium)', () => {
  let stack: Stack | undefined;
  let host: KommoHost;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** Status of every GET of a deal's links the page made, in order. */
  const leadReads: number[] = [];

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
      signToken: ({ user, isAdmin, origin }) => live().widgetToken({ iss: origin, user_id: user.id, is_admin: isAdmin }),
    });
    stack = await startStack({ env: { KOMMO_BASE_URL: host.url } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 760 } })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => {
      if (response.request().method() === 'GET' && /\/api\/widget\/leads\/\d+$/.test(response.url())) leadReads.push(response.status());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await stack?.close();
  });

  const issueBlock = (identifier: string) => page.getByTestId(`issue-${identifier}`);
  const stateOf = (identifier: string) => issueBlock(identifier).locator('[data-state-type]').getAttribute('data-state-type');

  it('shows an issue completed in Linear without a reload, from 304s while nothing changed', async () => {
    const { kommo, linear } = live();
    const lead = kommo.addLead({ name: 'Live card deal', price: 900, statusId: kommo.defaults.openStatusIds[0] ?? 1 });
    await page.goto(host.cardUrl(lead.id));
    await page.locator('.kh-sidebar .lfk').getByRole('button', { name: 'Create Linear task' }).click();
    const block = page.locator('[data-testid^="issue-ENG-"]');
    await block.first().waitFor({ timeout: 30_000 });
    const identifier = ((await block.first().getAttribute('data-testid')) ?? '').replace(/^issue-/, '');
    const created = linear.store.issue(identifier);
    const done = linear.store.teamStates(created?.teamId ?? '').find((s) => s.type === 'completed');
    if (!created || !done) throw new Error('no issue or completed state in the fake Linear');
    await expect(stateOf(identifier)).resolves.toBe('backlog');
    // Some idle re-reads, answered 304 (the block creation is done; nothing changes).
    await live().idle();
    const before = leadReads.length;
    await page.waitForResponse((r) => /\/api\/widget\/leads\/\d+$/.test(r.url()) && r.status() === 304, { timeout: 30_000 });
    expect(leadReads.length).toBeGreaterThan(before);

    // A marker on window survives only if the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { stillThere?: boolean }).stillThere = true));
    const dana = linear.store.addUser({ name: 'Dana Developer', email: 'dana.live@example.com' });
    linear.store.updateIssue(created.id, { stateId: done.id }, dana.id);
    await issueBlock(identifier).locator('[data-state-type="completed"]').waitFor({ timeout: 30_000 });
    await expect(issueBlock(identifier).locator('.lfk-badge').textContent()).resolves.toBe(done.name);
    expect(await page.evaluate(() => (window as unknown as { stillThere?: boolean }).stillThere)).toBe(true);
    expect(leadReads.every((status) => status === 200 || status === 304)).toBe(true);
    await shots.take(page, '01-completed-live');
    expect(pageErrors).toEqual([]);
  });
});
