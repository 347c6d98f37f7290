import { loadConfig } from '../../../../server/config';
import { nextSteps, type NextStepsInput } from '../../../../server/setup/next-steps';

const single = {
  KOMMO_BASE_URL: 'https://acme.kommo.com',
  KOMMO_ACCESS_TOKEN: 'kommo-token-value',
  KOMMO_WEBHOOK_SECRET: 'webhook-secret-value-16',
  LINEAR_API_KEY: 'lin_api_value',
  KOMMO_CLIENT_ID: 'client-id-value',
  KOMMO_CLIENT_SECRET: 'client-secret-value',
  LINEAR_WEBHOOK_SECRET: 'linear-secret-value',
};
const input = (env: Record<string, string>, over: Partial<NextStepsInput> = {}): NextStepsInput => ({
  config: loadConfig(env),
  database: 'pglite',
  single: undefined,
  anyInstallation: false,
  ...over,
});
const kommoStep = (i: NextStepsInput) => nextSteps(i).find((s) => s.id === 'kommo-webhook');

describe('nextSteps', () => {
  it('has nothing left for a single account on https with both webhooks in place', () => {
    const steps = nextSteps(input({ ...single, PUBLIC_URL: 'https://lfk.example.com' }, { single: { kommoWebhookStatus: 'registered', linearWebhookConfigured: true } }));
    expect(steps).toEqual([]);
  });

  it('says why the Kommo webhook is still a step', () => {
    const https = { ...single, PUBLIC_URL: 'https://lfk.example.com' };
    expect(kommoStep(input(https, { single: { kommoWebhookStatus: null, linearWebhookConfigured: true } }))?.text).toMatch(/registering it itself/);
    expect(kommoStep(input(https, { single: { kommoWebhookStatus: 'unavailable', linearWebhookConfigured: true } }))?.text).toMatch(/Advanced or Enterprise.*WON_POLL_INTERVAL_SECONDS/);
    expect(kommoStep(input({ ...https, REGISTER_WEBHOOKS: 'false' }, { single: { kommoWebhookStatus: null, linearWebhookConfigured: true } }))?.text).toMatch(/cannot see webhooks made by hand/);
    expect(kommoStep(input(https, { single: { kommoWebhookStatus: 'manual', linearWebhookConfigured: true } }))?.urls).toEqual(['https://lfk.example.com/webhooks/kommo/<KOMMO_WEBHOOK_SECRET>']);
  });

  it('takes LINEAR_WEBHOOK_SECRET as the Linear webhook before the installation is stored', () => {
    const ids = (env: Record<string, string>) => nextSteps(input(env)).map((s) => s.id);
    expect(ids(single)).not.toContain('linear-webhook');
    expect(ids({ ...single, LINEAR_WEBHOOK_SECRET: '' })).toContain('linear-webhook');
  });

  it('never carries a configured value other than the public address', () => {
    const text = JSON.stringify(nextSteps(input({ ...single, LINEAR_WEBHOOK_SECRET: '' }, { single: { kommoWebhookStatus: 'manual', linearWebhookConfigured: false } })));
    for (const value of Object.values(single)) expect(text).not.toContain(value);
  });
});
