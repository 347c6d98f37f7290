/** @jest-environment jsdom */
/** The Linear Customers section of the settings page: on with a tier rule, or disabled with the workspace's reason. */
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { FakeSettingsBackend } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';
import { settingsInput, settingsView } from './support/settings-fixtures';

const ENABLE = "Send the deal's company to Linear Customers, with the deal as a customer request on its issue";

describe('Linear Customers settings', () => {
  it('turns customers on with a tier rule from tags and a field', async () => {
    const view = settingsView();
    const backend = new FakeSettingsBackend({ ...view, linear: { ...view.linear, customers: { available: true, reason: null } } });
    renderSettings(backend);
    const section = await screen.findByTestId('customers');
    fireEvent.click(within(section).getByLabelText(ENABLE));
    fireEvent.input(within(section).getByLabelText('Tier from tags (tag=Tier, separated by commas)'), { target: { value: 'vip=Enterprise, smb=' } });
    fireEvent.input(within(section).getByLabelText("Tier from a deal field (its value is the tier's name)"), { target: { value: 'Segment' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(backend.callsOf('save')).toHaveLength(1));
    expect(backend.callsOf('save')[0]?.[0]).toEqual(
      settingsInput({ customers: { enabled: true, tierRule: { tags: [{ tag: 'vip', tier: 'Enterprise' }], field: 'Segment' } } }),
    );
  });

  it('shows the option disabled, with the reason, where the workspace has no Customers', async () => {
    const view = settingsView();
    const reason = "This Linear workspace's plan does not include Customers";
    renderSettings(new FakeSettingsBackend({ ...view, linear: { ...view.linear, customers: { available: false, reason } } }));
    const section = await screen.findByTestId('customers');
    const box = within(section).getByLabelText(ENABLE) as HTMLInputElement;
    expect(box.disabled).toBe(true);
    expect(box.checked).toBe(false);
    expect(within(section).getByTestId('customers-unavailable').textContent).toBe(`Not available in this workspace: ${reason}`);
  });
});
