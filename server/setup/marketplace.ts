/**
 * Marketplace (Kommo OAuth) wiring: refreshing token providers for OAuth installations, the
 * install job and the OAuth routes. Absent when KOMMO_CLIENT_ID / KOMMO_CLIENT_SECRET are unset.
 */
import type Router from '@koa/router';
import type { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db/create-db';
import type { InstallationStore } from '../db/installation-store';
import type { OAuthGrantsRepo } from '../db/repos/oauth-grants';
import type { Installation } from '../domain/installation';
import { kommoOAuthRoutes } from '../http/routes/kommo-oauth';
import { enqueueInstall, kommoInstallJob } from '../jobs/kommo-install';
import type { JobDefinition, Queue } from '../jobs/queue';
import { createKommoClient } from '../kommo/client';
import { accountBaseUrl, requestTokens } from '../kommo/oauth';
import { createTokenProvider, type TokenProvider } from '../kommo/tokens';
import type { Logger } from '../log';

export function createTokenProviders(config: Config, installations: InstallationStore): (installation: Installation) => TokenProvider | undefined {
  const providers = new Map<string, TokenProvider>();
  const oauth = config.kommoOAuth;
  return (installation) => {
    if (installation.mode !== 'oauth' || !oauth) return undefined;
    let provider = providers.get(installation.id);
    if (!provider) {
      const { id, kommoBaseUrl } = installation;
      provider = createTokenProvider({
        // Fresh: another process may have just stored a rotated pair.
        load: () => installations.credentials(id, { fresh: true }),
        takeLease: (owner, seconds) => installations.takeRefreshLease(id, owner, seconds),
        releaseLease: (owner) => installations.releaseRefreshLease(id, owner),
        save: (tokens) => installations.setTokens(id, tokens),
        refresh: (refreshToken) =>
          requestTokens(kommoBaseUrl, { ...oauth, timeoutMs: config.httpTimeoutMs }, { grant_type: 'refresh_token', refresh_token: refreshToken }),
      });
      providers.set(id, provider);
    }
    return provider;
  };
}

/** How long a Kommo authorization code can be exchanged (https://developers.kommo.com/docs/authorization-public). */
const CODE_LIFETIME_SECONDS = 20 * 60;

export interface MarketplaceDeps {
  config: Config;
  db: Db;
  installations: InstallationStore;
  grants: OAuthGrantsRepo;
  queue: Pick<Queue, 'send'>;
  log: Logger;
  afterInstall(installation: Installation): Promise<void>;
}

export function createMarketplace(deps: MarketplaceDeps): { job: JobDefinition<z.ZodType>; routes: Router } | undefined {
  const oauth = deps.config.kommoOAuth;
  if (!oauth) return undefined;
  const { db, installations, grants } = deps;
  const oauthConfig = { ...oauth, timeoutMs: deps.config.httpTimeoutMs };
  const job = kommoInstallJob({
    log: deps.log,
    findGrant: (id) => grants.find(db, id),
    accountBaseUrl,
    exchange: (baseUrl, code) => requestTokens(baseUrl, oauthConfig, { grant_type: 'authorization_code', code }),
    saveGrantTokens: (id, tokens) => grants.saveTokens(db, id, tokens),
    readAccount: (baseUrl, accessToken) =>
      createKommoClient({ baseUrl, timeoutMs: deps.config.httpTimeoutMs, accessToken: async () => accessToken, throttle: async () => undefined }).getAccount(),
    upsert: (input) => installations.upsertOAuth({ ...input, clientId: oauth.clientId, clientSecret: oauth.clientSecret }),
    finishGrant: (id, result) => grants.finish(db, id, result),
    afterInstall: deps.afterInstall,
  });
  const routes = kommoOAuthRoutes({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    allowedHosts: oauth.allowedHosts,
    async saveGrant(input) {
      // Kommo's codes live 20 minutes: older grants that did not install can never succeed.
      await grants.expireUnused(db, CODE_LIFETIME_SECONDS);
      const id = await grants.add(db, input);
      if (id) await enqueueInstall(deps.queue, id);
      return id !== undefined;
    },
    async disableAccount(accountId) {
      const installation = await installations.disableAccount(accountId);
      if (installation) deps.log.info({ installationId: installation.id, accountId }, 'Kommo access revoked; installation disabled');
      return installation !== undefined;
    },
  });
  return { job: job as unknown as JobDefinition<z.ZodType>, routes };
}
