/** @jest-environment jsdom */
/**
 * When Kommo refuses the account, the card and the settings page say why in the user's
 * language, and that the won deals wait rather than being lost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen, within } from '@testing-library/preact';
import type { KommoAccessProblem } from '../../shared/api';
import { FakeBackend } from './support/fake-backend';
import { FakeSettingsBackend } from './support/fake-settings-backend';
import { lead, link } from './support/fixtures';
import { renderPanel } from './support/render-panel';
import { renderSettings } from './support/render-settings';
import { settingsView } from './support/settings-fixtures';

const strings = (language: string) =>
  JSON.parse(readFileSync(join(__dirname, `../../widget/i18n/${language}.json`), 'utf8')) as { panel: Record<string, string>; settings_page: Record<string, string> };
const access = (problem: KommoAccessProblem) => ({ problem, since: '2026-03-01T09:00:00.000Z', checkedAt: '2026-03-01T11:55:00.000Z' });
const problems: KommoAccessProblem[] = ['unpaid', 'restricted', 'unauthorized'];

describe('Kommo refusing the account', () => {
  it.each(problems.flatMap((problem) => [['en', problem], ['es', problem], ['ru', problem]] as const))('the card says so in %s (%s)', async (language, problem) => {
    const waiting = link({ status: 'retrying', issue: null, problem: { code: 'kommo_account_unpaid', message: 'Kommo refused', retryable: true } });
    renderPanel(new FakeBackend(lead({ kommoAccess: access(problem), links: [waiting] })), { language, poll: { pollMs: 60_000, maxPolls: 1 } });
    const notice = await screen.findByTestId('kommo-access');
    expect(notice.textContent).toBe(strings(language).panel[`kommo_${problem}`]);
    // Creating stays possible: the deal waits like the others.
    expect(screen.getByRole('button', { name: strings(language).panel.create })).toBeTruthy();
  });

  it('the card shows no warning while Kommo answers', async () => {
    renderPanel(new FakeBackend(lead()));
    await screen.findByText('No Linear issue is linked to this deal yet.');
    expect(screen.queryByTestId('kommo-access')).toBeNull();
  });

  it.each(problems)('the settings page explains %s, since when and that nothing is lost', async (problem) => {
    const view = settingsView();
    renderSettings(new FakeSettingsBackend(settingsView({ kommo: { ...view.kommo, access: access(problem) } })));
    const notice = await screen.findByTestId('kommo-access');
    expect(within(notice).getByText(strings('en').settings_page[`kommo_access_${problem}`] ?? '?')).toBeTruthy();
    expect(notice.textContent).toMatch(/Since Mar 1, 2026.*last checked Mar 1, 2026.*Nothing is lost/);
  });

  it('the settings page in Turkish', async () => {
    const view = settingsView();
    renderSettings(new FakeSettingsBackend(settingsView({ kommo: { ...view.kommo, access: access('unpaid') } })), 'tr');
    const notice = await screen.findByTestId('kommo-access');
    expect(notice.textContent).toContain(strings('tr').settings_page.kommo_access_unpaid);
  });

  it('the settings page shows no warning while Kommo answers', async () => {
    renderSettings(new FakeSettingsBackend());
    await screen.findByTestId('linear-connected');
    expect(screen.queryByTestId('kommo-access')).toBeNull();
  });
});
