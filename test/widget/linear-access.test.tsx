/** @jest-environment jsdom */
/**
 * When Linear was set up and is then disconnected (or its "Connect Linear" grant ended), the card
 * says so instead of "not configured", keeps showing the deal's issues, and offers no Create.
 */
import { cleanup, screen } from '@testing-library/preact';
import { FakeBackend } from './support/fake-backend';
import { lead, link } from './support/fixtures';
import { renderPanel } from './support/render-panel';

afterEach(cleanup);

describe('Linear disconnected, in the card', () => {
  it('says Linear is disconnected, keeps the links, and hides Create and Link existing', async () => {
    renderPanel(new FakeBackend(lead({ configured: false, linearAccess: 'disconnected', links: [link()] })));
    expect((await screen.findByTestId('linear-access')).textContent).toBe(
      'Linear is disconnected from this Kommo account: no new issues are created and the statuses below may be out of date.',
    );
    expect(screen.getByRole('list', { name: 'Linear issues' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create Linear task' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Link existing' })).toBeNull();
  });

  it('asks for a reconnect while the grant is over, with the settings link for admins', async () => {
    renderPanel(new FakeBackend(lead({ isAdmin: true, linearAccess: 'reconnect_needed', links: [] })));
    expect((await screen.findByTestId('linear-access')).textContent).toContain('Linear needs to be reconnected');
    expect(screen.getByRole('link', { name: 'Open the Linear settings' })).toBeTruthy();
  });

  it('keeps "not connected yet" for an installation that never had Linear', async () => {
    renderPanel(new FakeBackend(lead({ configured: false, isAdmin: true, linearAccess: 'not_connected', links: [] })));
    expect(await screen.findByText('Linear is not connected to this account yet.')).toBeTruthy();
    expect(screen.queryByTestId('linear-access')).toBeNull();
  });
});
