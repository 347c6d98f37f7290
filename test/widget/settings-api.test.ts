/** The settings page's client: methods, URLs and bodies, validation, and 400 `field` kept. */
import type { HostRequest, HostResponse } from '../../widget/src/host/kommo-host';
import { BackendError } from '../../widget/src/api/backend-error';
import { createSettingsBackend } from '../../widget/src/settings/api';
import { preview, settingsInput, settingsView } from './support/settings-fixtures';

function transportAnswering(...answers: HostResponse[]) {
  const requests: HostRequest[] = [];
  const transport = (request: HostRequest) => {
    requests.push(request);
    return Promise.resolve(answers.shift() ?? { status: 200, body: undefined, textStatus: 'success' });
  };
  return { requests, transport };
}
const ok = (body: unknown, status = 200): HostResponse => ({ status, body, textStatus: 'success' });
const base = () => 'https://backend.test';

describe('settings client', () => {
  it('calls every endpoint with the right method, URL and body', async () => {
    const { requests, transport } = transportAnswering(
      ok(settingsView()),
      ok(settingsView()),
      ok({ workspace: 'Acme', user: 'Jane' }),
      ok(undefined, 204),
      ok(preview()),
    );
    const api = createSettingsBackend(transport, base);
    expect((await api.load()).linear.workspace).toBe('Acme');
    await api.save(settingsInput());
    expect(await api.connect('lin_api_0123456789')).toEqual({ workspace: 'Acme', user: 'Jane' });
    await api.disconnect();
    expect((await api.preview(42, settingsInput())).title).toBe(preview().title);
    expect(requests.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'GET', url: 'https://backend.test/api/widget/settings', body: undefined },
      { method: 'PUT', url: 'https://backend.test/api/widget/settings', body: settingsInput() },
      { method: 'POST', url: 'https://backend.test/api/widget/settings/linear-key', body: { apiKey: 'lin_api_0123456789' } },
      { method: 'DELETE', url: 'https://backend.test/api/widget/settings/linear-key', body: undefined },
      { method: 'POST', url: 'https://backend.test/api/widget/settings/preview', body: { leadId: 42, settings: settingsInput() } },
    ]);
  });

  it('keeps the field of a 400 and refuses a view that does not match the contract', async () => {
    const { transport } = transportAnswering(
      { status: 400, body: { error: { code: 'invalid_input', message: 'Unknown team', field: 'rules.0.team' } }, textStatus: 'error' },
      ok({ ...settingsView(), linear: null }),
    );
    const api = createSettingsBackend(transport, base);
    const refused = await api.save(settingsInput()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BackendError);
    expect(refused).toMatchObject({ kind: 'server', status: 400, code: 'invalid_input', field: 'rules.0.team', message: 'Unknown team' });
    await expect(api.load()).rejects.toMatchObject({ kind: 'invalid_response' });
  });
});
