/** @jest-environment jsdom */
/**
 * "Connect Linear" on the settings page: the popup opened in the click, the consent URL put into
 * it, the callback's message believed only from our server's origin, Reconnect when the grant is
 * over, Disconnect, the personal key as the alternative; and the setup checklist.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import type { SettingsView } from '../../shared/settings-api';
import { FakeSettingsBackend, httpError } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';
import { settingsView } from './support/settings-fixtures';

const base = settingsView();
const notConnected = settingsView({
  linear: { ...base.linear, connected: false, workspace: null, user: null, problem: 'Click "Connect Linear" to connect your workspace', method: null, oauth: { available: true, status: null }, teams: [], states: [] },
});
const viaApp = (status: SettingsView['linear']['oauth']['status'], problem: string | null = null) =>
  settingsView({ linear: { ...base.linear, problem, method: 'oauth', oauth: { available: true, status } } });

interface FakePopup {
  closed: boolean;
  location: { href: string };
  close: jest.Mock;
}

function fakePopup() {
  const popup: FakePopup = { closed: false, location: { href: '' }, close: jest.fn(() => (popup.closed = true)) };
  const open = jest.spyOn(window, 'open').mockImplementation(() => popup as unknown as Window);
  return { popup, open };
}
const message = (origin: string, data: unknown) => window.dispatchEvent(new MessageEvent('message', { origin, data }));
const HANDED_OVER = { type: 'linear-for-kommo:linear-oauth', status: 'code', code: 'code-1', state: 's1' };

afterEach(() => {
  cleanup();
  jest.restoreAllMocks();
});

describe('Connect Linear', () => {
  it('opens a popup in the click, sends it to Linear, and reloads on the message from our server only', async () => {
    const backend = new FakeSettingsBackend(notConnected, viaApp('connected'));
    const { popup, open } = fakePopup();
    renderSettings(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect Linear' }));
    expect(open).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(popup.location.href).toBe('https://linear.test/oauth/authorize?state=s1'));
    expect(screen.getByRole('button', { name: 'Waiting for Linear…' })).toBeTruthy();

    message('https://evil.test', HANDED_OVER);
    message('https://backend.test', { type: 'something-else' });
    await new Promise((r) => setTimeout(r, 20));
    expect(backend.callsOf('load')).toHaveLength(1);

    message('https://backend.test', HANDED_OVER);
    expect((await screen.findByTestId('linear-connected')).textContent).toBe(
      'Connected to the Acme workspace through the Linear app: issues and comments show the app as their author.',
    );
    expect(backend.callsOf('load')).toHaveLength(2);
    // The page finished with its own token: the code and state it was handed, nothing from elsewhere.
    expect(backend.callsOf('completeLinearOAuth')).toEqual([['code-1', 's1']]);
    expect(screen.queryByLabelText('Linear API key')).toBeNull();
  });

  it('says why when finishing is refused, and Connect works again', async () => {
    const backend = new FakeSettingsBackend(notConnected);
    backend.oauthCompletes = [httpError(400, 'This Linear connection was started by another admin or for another account', 'state', 'bad_request')];
    fakePopup();
    renderSettings(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect Linear' }));
    message('https://backend.test', HANDED_OVER);
    expect((await screen.findByRole('alert')).textContent).toBe('This Linear connection was started by another admin or for another account');
    expect((screen.getByRole('button', { name: 'Connect Linear' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('offers the consent URL as a link when the browser blocks the popup', async () => {
    const backend = new FakeSettingsBackend(notConnected);
    jest.spyOn(window, 'open').mockImplementation(() => null);
    renderSettings(backend);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect Linear' }));
    const link = await screen.findByRole('link', { name: 'Open Linear to approve' });
    expect([link.getAttribute('href'), link.getAttribute('rel')]).toEqual(['https://linear.test/oauth/authorize?state=s1', 'opener']);
  });

  it('shows Reconnect when the grant is over, and Disconnect revokes after a confirmation', async () => {
    const backend = new FakeSettingsBackend(viaApp('reconnect_needed', 'Linear is disconnected (Linear refused to renew its access)'), notConnected);
    renderSettings(backend);
    expect((await screen.findByTestId('linear-reconnect')).textContent).toBe('Linear is disconnected (Linear refused to renew its access)');
    expect(screen.getByRole('button', { name: 'Reconnect Linear' })).toBeTruthy();
    jest.spyOn(window, 'confirm').mockReturnValue(true);
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect Linear' }));
    expect(await screen.findByRole('button', { name: 'Connect Linear' })).toBeTruthy();
    expect(backend.callsOf('disconnectLinearOAuth')).toEqual([[]]);
  });

  it('keeps the personal key one click away, and shows only the key where the server has no OAuth app', async () => {
    renderSettings(new FakeSettingsBackend(notConnected));
    fireEvent.click(await screen.findByRole('button', { name: 'Use a personal API key instead' }));
    expect(screen.getByLabelText('Linear API key')).toBeTruthy();
    cleanup();
    renderSettings(new FakeSettingsBackend(settingsView({ linear: { ...notConnected.linear, oauth: { available: false, status: null } } })));
    expect(await screen.findByLabelText('Linear API key')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Connect Linear' })).toBeNull();
  });
});

describe('Setup checklist', () => {
  const item = (key: string) => screen.getByTestId(`setup-${key}`);

  it('is green where the setup is done and names the one action for each gap', async () => {
    renderSettings(new FakeSettingsBackend(settingsView()));
    const list = await screen.findByTestId('setup-checklist');
    expect(within(list).getByRole('heading').textContent).toBe('Setup: 3 of 5 done');
    expect(['kommo', 'linear', 'team', 'webhooks', 'preview'].map((k) => item(k).dataset.ok)).toEqual(['true', 'true', 'true', 'false', 'false']);
    expect(item('webhooks').textContent).toContain('from Linear: none yet');
    expect(within(item('webhooks')).getByRole('button').textContent).toBe('Set up webhooks');
    expect(within(item('preview')).getByRole('button').textContent).toBe('Preview a deal');
    expect(within(item('linear')).queryByRole('button')).toBeNull();
  });

  it('counts the app webhook and a preview as done, and asks to connect and choose a team on a fresh install', async () => {
    renderSettings(new FakeSettingsBackend(settingsView({ ...viaApp('connected'), webhooks: { ...base.webhooks, linear: 'app' }, setup: { kommoWebhookAt: null, linearWebhookAt: null, previewedAt: '2026-03-01T11:00:00.000Z' } })));
    expect((await screen.findByTestId('setup-checklist')).querySelector('h2')?.textContent).toBe('Setup: 5 of 5 done');
    cleanup();
    renderSettings(new FakeSettingsBackend(settingsView({ ...notConnected, settings: { ...base.settings, team: undefined, rules: [{ labels: [] }] } } as SettingsView)));
    await screen.findByTestId('setup-checklist');
    expect(within(item('linear')).getByRole('button').textContent).toBe('Connect it below');
    expect(within(item('team')).getByRole('button').textContent).toBe('Choose a team');
  });
});
