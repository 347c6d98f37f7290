/**
 * Marketplace (Kommo OAuth) wiring: refreshing token providers for OAuth installations, the
 * install job and the OAuth routes. Absent when KOMMO_CLIENT_ID / KOMMO_CLIENT_SECRET are unset.
 */
import type { Config } from '../config';
import type { Db } from '../db/create-db';
import type { Installation, InstallationsRepo } from '../db/repos/installations';
import type { OAuthGrantsRepo } from '../db/repos/oauth-grants';
import { kommoOAuthRoutes } from '../http/routes/kommo-oauth';
import { KOMMO_INSTALL, kommoInstallJob } from '../jobs/kommo-install';
import type { JobDefinition, Queue } from '../jobs/queue';
import { createKommoClient } from '../kommo/client';
import { requestTokens } from '../kommo/oauth';
import type { Logger } from '../log';
import { createTokenProvider, type TokenProvider } from '../sync/kommo-tokens';
import type { z } from 'zod';
import type Router from '@koa/router';

export function createTokenProviders(config: Config, db: Db, installations: InstallationsRepo): (installation: Installation) => TokenProvider | undefined {
  const providers = new Map<string, TokenProvider>();
  const oauth = config.kommoOAuth;
  return (installation) => {
    if (installation.mode !== 'oauth' || !oauth) return undefined;
    let provider = providers.get(installation.id);
    if (!provider) {
      provider = createTokenProvider({
        load: () => installations.findById(db, installation.id),
        takeLease: (owner, seconds) => installations.takeRefreshLease(db, installation.id, owner, seconds),
        releaseLease: (owner) => installations.releaseRefreshLease(db, installation.id, owner),
        save: (tokens) => installations.setTokens(db, installation.id, tokens),
        refresh: (refreshToken) =>
          requestTokens(installation.kommoBaseUrl, { ...oauth, timeoutMs: config.httpTimeoutMs }, { grant_type: 'refresh_token', refresh_token: refreshToken }),
      });
      providers.set(installation.id, provider);
    }
    return provider;
  };
}

export interface MarketplaceDeps {
  config: Config;
  db: Db;
  installations: InstallationsRepo;
  grants: OAuthGrantsRepo;
  queue: Queue;
  log: Logger;
  afterInstall(installation: Installation): Promise<void>;
  onDisabled(): void;
}

export function createMarketplace(deps: MarketplaceDeps): { job: JobDefinition<z.ZodType>; routes: Router } | undefined {
  const oauth = deps.config.kommoOAuth;
  if (!oauth) return undefined;
  const { db, installations, grants } = deps;
  const oauthConfig = { ...oauth, timeoutMs: deps.config.httpTimeoutMs };
  const job = kommoInstallJob({
    log: deps.log,
    findGrant: (id) => grants.find(db, id),
    exchange: (baseUrl, code) => requestTokens(baseUrl, oauthConfig, { grant_type: 'authorization_code', code }),
    saveGrantTokens: (id, tokens) => grants.saveTokens(db, id, tokens),
    readAccount: (baseUrl, accessToken) =>
      createKommoClient({ baseUrl, timeoutMs: deps.config.httpTimeoutMs, accessToken: async () => accessToken, throttle: async () => undefined }).getAccount(),
    upsert: (input) => installations.upsertOAuth(db, { ...input, clientId: oauth.clientId, clientSecret: oauth.clientSecret }),
    finishGrant: (id, result) => grants.finish(db, id, result),
    afterInstall: deps.afterInstall,
  });
  const routes = kommoOAuthRoutes({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    allowedHosts: oauth.allowedHosts,
    async saveGrant(input) {
      const grantId = await grants.add(db, input);
      await deps.queue.send(KOMMO_INSTALL, { grantId }, { key: `install:${grantId}` });
    },
    async disableAccount(accountId) {
      const installation = await installations.findByAccountId(db, accountId);
      if (!installation) return false;
      await installations.disable(db, installation.id);
      deps.onDisabled();
      deps.log.info({ installationId: installation.id, accountId }, 'Kommo access revoked; installation disabled');
      return true;
    },
  });
  return { job: job as unknown as JobDefinition<z.ZodType>, routes };
}
