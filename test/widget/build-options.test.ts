/**
 * What `npm run build:widget` takes from the environment (widget/scripts/build-options.ts) and the
 * manifest it ships (widget/scripts/widget-manifest.ts): a self-hosted build with nothing set is
 * the repository's manifest as it is; a marketplace build bakes a real address and real support
 * contacts, drops the server_url setting, and refuses placeholders with a message per variable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBuildOptions, WidgetBuildError } from '../../widget/scripts/build-options';
import { buildManifest, manifestText } from '../../widget/scripts/widget-manifest';

const sourceText = readFileSync(join(__dirname, '../../manifest.json'), 'utf8');
const source: unknown = JSON.parse(sourceText);
const MARKETPLACE = {
  WIDGET_TARGET: 'marketplace',
  WIDGET_SERVER_URL: 'https://linear-kommo.acme.io/',
  WIDGET_SUPPORT_EMAIL: 'help@acme.io',
  WIDGET_SUPPORT_URL: 'https://acme.io/support',
};

/** The problems a build would print for `env`, [] when it builds. */
function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseBuildOptions(env);
    return [];
  } catch (error) {
    if (error instanceof WidgetBuildError) return error.problems;
    throw error;
  }
}

describe('widget build options', () => {
  it('default to a self-hosted build with no address baked in and the manifest unchanged', () => {
    const options = parseBuildOptions({});
    expect(options).toEqual({ target: 'self-hosted', serverUrl: '', serverUrlFrom: undefined, supportEmail: undefined, supportUrl: undefined });
    expect(manifestText(buildManifest(source, options))).toBe(sourceText);
  });

  it('bake WIDGET_SERVER_URL, else PUBLIC_URL, normalized; empty values count as unset', () => {
    expect(parseBuildOptions({ PUBLIC_URL: 'https://lfk.acme.io/' })).toMatchObject({ serverUrl: 'https://lfk.acme.io', serverUrlFrom: 'PUBLIC_URL' });
    expect(parseBuildOptions({ PUBLIC_URL: 'https://a.acme.io', WIDGET_SERVER_URL: 'http://127.0.0.1:3000' })).toMatchObject({
      serverUrl: 'http://127.0.0.1:3000',
      serverUrlFrom: 'WIDGET_SERVER_URL',
    });
    expect(parseBuildOptions({ WIDGET_SERVER_URL: ' ', PUBLIC_URL: 'https://b.acme.io' })).toMatchObject({ serverUrl: 'https://b.acme.io' });
  });

  it('put the support contacts into the manifest and keep the optional server_url setting', () => {
    const options = parseBuildOptions({ WIDGET_SUPPORT_EMAIL: 'help@acme.io', WIDGET_SUPPORT_URL: 'https://acme.io/help' });
    const manifest = buildManifest(source, options);
    expect(manifest.widget).toMatchObject({ support: { email: 'help@acme.io', link: 'https://acme.io/help' } });
    expect(manifest.settings).toEqual({ server_url: { name: 'settings.server_url', type: 'text', required: false } });
  });

  it('refuse malformed values in any build, each with its variable', () => {
    expect(problems({ WIDGET_TARGET: 'store', WIDGET_SUPPORT_EMAIL: 'help' })).toEqual([
      'WIDGET_TARGET: must be self-hosted or marketplace',
      'WIDGET_SUPPORT_EMAIL: must be an email address such as support@yourcompany.com',
    ]);
    expect(problems({ WIDGET_SERVER_URL: 'lfk.acme.io', WIDGET_SUPPORT_URL: 'acme.io/help' })).toEqual([
      'WIDGET_SERVER_URL "lfk.acme.io" is not a URL; write it like https://linear-kommo.yourcompany.com',
      'WIDGET_SUPPORT_URL: "acme.io/help" is not a URL; write it like https://yourcompany.com/support',
    ]);
  });

  it('let a self-hosted build keep placeholder contacts and a loopback address', () => {
    expect(problems({ WIDGET_SERVER_URL: 'http://localhost:3000', WIDGET_SUPPORT_EMAIL: 'me@example.com', WIDGET_SUPPORT_URL: 'https://example.com' })).toEqual([]);
  });
});

describe('Digital Pipeline action', () => {
  it("gets its webhook_url from the server address and KOMMO_WEBHOOK_SECRET in a self-hosted build", () => {
    const manifest = buildManifest(source, parseBuildOptions({ WIDGET_SERVER_URL: 'https://lfk.acme.io/', KOMMO_WEBHOOK_SECRET: 's3cret/x' }));
    expect(manifest.dp).toMatchObject({ action_multiple: false, webhook_url: 'https://lfk.acme.io/webhooks/kommo/s3cret%2Fx/dp' });
    expect(manifest.locations).toContain('digital_pipeline');
  });

  it('keeps the placeholder without the secret', () => {
    const manifest = buildManifest(source, parseBuildOptions({ WIDGET_SERVER_URL: 'https://lfk.acme.io' }));
    expect((manifest.dp as { webhook_url: string }).webhook_url).toContain('<KOMMO_WEBHOOK_SECRET>');
  });
});

describe('marketplace build', () => {
  it('bakes the address, ships the contacts and has no server_url setting', () => {
    const options = parseBuildOptions(MARKETPLACE);
    expect(options).toMatchObject({ target: 'marketplace', serverUrl: 'https://linear-kommo.acme.io' });
    const manifest = buildManifest(source, options);
    expect(manifest.settings).toEqual({});
    expect(manifest.widget).toMatchObject({ support: { email: 'help@acme.io', link: 'https://acme.io/support' }, locale: ['en', 'es', 'pt', 'ru', 'tr', 'id'] });
    expect(Object.keys(manifest)).toEqual(Object.keys(source as object));
  });

  it('keeps the Digital Pipeline action on the one marketplace URL, with a token setting per action', () => {
    const manifest = buildManifest(source, parseBuildOptions({ ...MARKETPLACE, KOMMO_WEBHOOK_SECRET: 'never-in-a-marketplace-zip' }));
    const sourceDp = (source as { dp: { settings: object } }).dp;
    expect(manifest.locations).toContain('digital_pipeline');
    expect(manifest.dp).toEqual({
      ...sourceDp,
      settings: { ...sourceDp.settings, lfk_dp_token: { name: 'dp.token', type: 'text', required: false } },
      webhook_url: 'https://linear-kommo.acme.io/webhooks/kommo-dp',
    });
    expect(manifestText(manifest)).not.toContain('never-in-a-marketplace-zip');
  });

  it('refuses to build with nothing set, saying what to set', () => {
    expect(problems({ WIDGET_TARGET: 'marketplace' })).toEqual([
      expect.stringMatching(/^WIDGET_SERVER_URL \(or PUBLIC_URL\): a marketplace build has no server_url setting/),
      'WIDGET_SUPPORT_EMAIL: a marketplace build needs the support email Kommo shows to users',
      'WIDGET_SUPPORT_URL: a marketplace build needs the support page Kommo links to',
    ]);
  });

  it.each([
    [{ WIDGET_SUPPORT_EMAIL: 'support@example.com' }, 'WIDGET_SUPPORT_EMAIL: "support@example.com" is a placeholder'],
    [{ WIDGET_SUPPORT_EMAIL: 'help@mail.example.org' }, 'is a placeholder'],
    [{ WIDGET_SUPPORT_URL: 'https://www.example.com/help' }, 'WIDGET_SUPPORT_URL: "https://www.example.com/help" is a placeholder (www.example.com)'],
    [{ WIDGET_SUPPORT_URL: 'http://acme.io/help' }, 'must start with https://'],
    [{ WIDGET_SUPPORT_URL: '' }, 'WIDGET_SUPPORT_URL: a marketplace build needs'],
    [{ WIDGET_SERVER_URL: 'http://linear-kommo.acme.io' }, 'must be https:// for a marketplace build'],
    [{ WIDGET_SERVER_URL: 'https://linear-kommo.example.com' }, 'cannot be reached by Kommo accounts'],
    [{ WIDGET_SERVER_URL: 'https://localhost:3000' }, 'cannot be reached by Kommo accounts'],
    [{ WIDGET_SERVER_URL: undefined, PUBLIC_URL: 'https://127.0.0.1' }, 'PUBLIC_URL: "https://127.0.0.1" cannot be reached'],
  ])('refuses %j', (change, message) => {
    const found = problems({ ...MARKETPLACE, ...change });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });
});
