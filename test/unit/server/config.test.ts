import { ConfigError, loadConfig } from '../../../server/config';

const SINGLE = {
  KOMMO_BASE_URL: 'https://acme.kommo.com/',
  KOMMO_ACCESS_TOKEN: 'kommo-token',
  KOMMO_WEBHOOK_SECRET: '0123456789abcdef',
  LINEAR_API_KEY: 'lin_api_key',
};
const KEY = Buffer.alloc(32, 7).toString('base64');

/** The ConfigError thrown by loadConfig(env); fails the test when nothing is thrown. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: './data',
      encryptionKey: undefined,
      logLevel: 'info',
      linearApiUrl: 'https://api.linear.app/graphql',
      httpTimeoutMs: 10_000,
      kommoRateLimitPerSecond: 7,
      jobConcurrency: 10,
      jobRetryLimit: 12,
      singleAccount: undefined,
    });
  });

  it('derives PUBLIC_URL from PORT and coerces numbers', () => {
    const config = loadConfig({ PORT: '8080', HTTP_TIMEOUT_MS: '2500' });
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.httpTimeoutMs).toBe(2500);
  });

  it('treats empty strings of optional variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', KOMMO_ACCESS_TOKEN: '  ' }).databaseUrl).toBeUndefined();
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('builds the single-account block when all four variables are set, without trailing slashes', () => {
    const config = loadConfig({ ...SINGLE, LINEAR_TEAM: 'ENG', KOMMO_ACCOUNT_ID: '123' });
    expect(config.singleAccount).toMatchObject({
      kommoBaseUrl: 'https://acme.kommo.com',
      kommoAccessToken: 'kommo-token',
      kommoWebhookSecret: '0123456789abcdef',
      linearApiKey: 'lin_api_key',
      linearTeam: 'ENG',
      kommoAccountId: 123,
      settingsSource: undefined,
    });
  });

  it('passes SETTINGS_JSON or SETTINGS_FILE through as the settings source', () => {
    expect(loadConfig({ ...SINGLE, SETTINGS_JSON: '{"team":"OPS"}' }).singleAccount?.settingsSource).toEqual({
      kind: 'json',
      text: '{"team":"OPS"}',
    });
    expect(loadConfig({ ...SINGLE, SETTINGS_FILE: '/etc/lfk.json' }).singleAccount?.settingsSource).toEqual({
      kind: 'file',
      path: '/etc/lfk.json',
    });
  });

  it('names the missing single-account variables when only some are set', () => {
    const problems = problemsOf({ KOMMO_BASE_URL: SINGLE.KOMMO_BASE_URL, LINEAR_API_KEY: SINGLE.LINEAR_API_KEY });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('set KOMMO_ACCESS_TOKEN, KOMMO_WEBHOOK_SECRET');
    expect(problems[0]).toContain('unset KOMMO_BASE_URL, LINEAR_API_KEY');
  });

  it.each(Object.keys(SINGLE))('rejects the single-account set without %s', (missing) => {
    const env: Record<string, string> = { ...SINGLE };
    delete env[missing];
    expect(problemsOf(env).join('\n')).toMatch(new RegExp(`set ${missing}`));
  });

  it('rejects a KOMMO_WEBHOOK_SECRET shorter than 16 characters', () => {
    const problems = problemsOf({ ...SINGLE, KOMMO_WEBHOOK_SECRET: '123456789012345' });
    expect(problems).toEqual([expect.stringContaining('KOMMO_WEBHOOK_SECRET must be at least 16 characters')]);
  });

  it('requires ENCRYPTION_KEY with DATABASE_URL', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://db/x' })).toEqual([expect.stringContaining('ENCRYPTION_KEY is required with DATABASE_URL')]);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', ENCRYPTION_KEY: KEY }).encryptionKey).toBe(KEY);
  });

  it.each([
    ['16 bytes', Buffer.alloc(16, 1).toString('base64')],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64')],
    ['a 64-character hex key', 'ab'.repeat(32)],
  ])('rejects an ENCRYPTION_KEY of %s', (_what, key) => {
    expect(problemsOf({ ENCRYPTION_KEY: key })).toEqual([expect.stringContaining('ENCRYPTION_KEY must be 32 bytes')]);
  });

  it.each(['PUBLIC_URL', 'LINEAR_API_URL', 'KOMMO_BASE_URL'])('rejects %s that is not an http(s) URL', (name) => {
    const problems = problemsOf({ [name]: 'ftp://example.com' });
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(`${name}: ${name} must be an http(s) URL`)]));
    expect(problems.filter((p) => p.includes('must be an http(s) URL'))).toHaveLength(1);
  });

  it('rejects SETTINGS_JSON and SETTINGS_FILE together', () => {
    expect(problemsOf({ SETTINGS_JSON: '{}', SETTINGS_FILE: 'settings.json' })).toEqual(['set SETTINGS_JSON or SETTINGS_FILE, not both']);
  });

  it('lists every cross-field problem at once', () => {
    const problems = problemsOf({
      KOMMO_BASE_URL: SINGLE.KOMMO_BASE_URL,
      KOMMO_WEBHOOK_SECRET: 'short',
      DATABASE_URL: 'postgres://db/x',
      SETTINGS_JSON: '{}',
      SETTINGS_FILE: 'settings.json',
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/single-account mode needs/);
    expect(problems.join('\n')).toMatch(/KOMMO_WEBHOOK_SECRET must be at least 16/);
    expect(problems.join('\n')).toMatch(/ENCRYPTION_KEY is required/);
    expect(problems.join('\n')).toMatch(/not both/);
  });

  it('lists every malformed variable at once', () => {
    const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud', PUBLIC_URL: 'nope', JOB_CONCURRENCY: '101' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['JOB_CONCURRENCY', 'LOG_LEVEL', 'PORT', 'PUBLIC_URL']);
  });

  it('allows a process without jobs (JOB_CONCURRENCY=0) only on a shared database', () => {
    expect(problemsOf({ JOB_CONCURRENCY: '0' }).join('\n')).toMatch(/JOB_CONCURRENCY=0 .* needs DATABASE_URL/);
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(loadConfig({ JOB_CONCURRENCY: '0', DATABASE_URL: 'postgres://db/x', ENCRYPTION_KEY: key }).jobConcurrency).toBe(0);
  });

  it('ConfigError message lists each problem on its own line', () => {
    const error = new ConfigError(['a is wrong', 'b is wrong']);
    expect(error.message).toBe('Configuration is invalid:\n  - a is wrong\n  - b is wrong');
    expect(error.name).toBe('ConfigError');
  });

  it('reports malformed and cross-field problems together', () => {
    const problems = problemsOf({ PORT: 'abc', DATABASE_URL: 'postgres://db/x' });
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/ENCRYPTION_KEY is required/);
  });

  it('treats an empty KOMMO_ACCOUNT_ID and PUBLIC_URL as unset', () => {
    const config = loadConfig({ ...SINGLE, KOMMO_ACCOUNT_ID: '', PUBLIC_URL: '' });
    expect(config.singleAccount?.kommoAccountId).toBeUndefined();
    expect(config.publicUrl).toBe('http://localhost:3000');
  });
});
