/**
 * Each installation's Linear credential source: its OAuth grant (refreshed single-flight, see
 * linear/tokens.ts) or its personal API key. One source per installation and process.
 */
import type { Config } from '../config';
import type { InstallationStore } from '../db/installation-store';
import type { Installation } from '../domain/installation';
import { AppError } from '../errors';
import { createLinearOAuthClient } from '../linear/oauth';
import { createLinearTokenSource, type LinearTokenSource } from '../linear/tokens';

export function createLinearTokenSources(config: Pick<Config, 'linearOAuth' | 'httpTimeoutMs'>, installations: InstallationStore): (installation: Installation) => LinearTokenSource {
  const sources = new Map<string, LinearTokenSource>();
  const oauth = config.linearOAuth ? createLinearOAuthClient(config.linearOAuth, config.httpTimeoutMs) : undefined;
  return ({ id }) => {
    let source = sources.get(id);
    if (!source) {
      source = createLinearTokenSource({
        async load(fresh) {
          const credentials = await installations.credentials(id, { fresh });
          return credentials && { apiKey: credentials.linearApiKey, status: credentials.linearOAuthStatus, oauth: credentials.linearOAuth };
        },
        takeLease: (owner, seconds) => installations.linearOAuth.takeLease(id, owner, seconds),
        releaseLease: (owner) => installations.linearOAuth.releaseLease(id, owner),
        save: (tokens) => installations.linearOAuth.saveRotated(id, tokens),
        refresh(refreshToken) {
          if (!oauth) throw new AppError('linear_reconnect_needed', 'Linear OAuth is not configured on this server (LINEAR_CLIENT_ID, LINEAR_CLIENT_SECRET)');
          return oauth.refresh(refreshToken);
        },
        markReconnectNeeded: (message) => installations.linearOAuth.markEnded(id, 'reconnect_needed', message),
      });
      sources.set(id, source);
    }
    return source;
  };
}
