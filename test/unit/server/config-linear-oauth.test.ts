import { ConfigError, loadConfig } from '../../../server/config';

describe('Linear OAuth configuration', () => {
  it('is off without a client id and secret, and needs both', () => {
    expect(loadConfig({}).linearOAuth).toBeUndefined();
    expect(() => loadConfig({ LINEAR_CLIENT_ID: 'id' })).toThrow(/LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET/);
  });

  it('asks for the least scopes by default, derives the endpoints and the callback, and refuses an unknown scope', () => {
    const config = loadConfig({ LINEAR_CLIENT_ID: 'id', LINEAR_CLIENT_SECRET: 'secret', PUBLIC_URL: 'https://lfk.example.org', LINEAR_WEBHOOK_SECRET: 'app-secret' });
    expect(config.linearOAuth).toEqual({
      clientId: 'id',
      clientSecret: 'secret',
      scopes: ['read', 'write', 'issues:create', 'comments:create'],
      redirectUri: 'https://lfk.example.org/oauth/linear/callback',
      authorizeUrl: 'https://linear.app/oauth/authorize',
      tokenUrl: 'https://api.linear.app/oauth/token',
      revokeUrl: 'https://api.linear.app/oauth/revoke',
      webhookSecret: 'app-secret',
    });
    expect(loadConfig({ LINEAR_CLIENT_ID: 'id', LINEAR_CLIENT_SECRET: 's', LINEAR_OAUTH_SCOPES: 'read, issues:create' }).linearOAuth?.scopes).toEqual(['read', 'issues:create']);
    expect(() => loadConfig({ LINEAR_CLIENT_ID: 'id', LINEAR_CLIENT_SECRET: 's', LINEAR_OAUTH_SCOPES: 'read,everything' })).toThrow(ConfigError);
  });
});
