/**
 * Builds the per-installation clients (Kommo, Linear) and the cached reference data. Every
 * upstream call of an installation goes through here, so credentials, throttling and metrics are
 * applied in one place. The clients read the credentials from the installation store at each
 * call, so a new key or token is used at once and no credential travels with the installation.
 */
import type { Config } from './config';
import type { CacheStore } from './db/cache-store';
import type { InstallationCredentials } from './db/repos/installations';
import type { Installation } from './domain/installation';
import { AppError } from './errors';
import { createKommoClient, type KommoClient } from './kommo/client';
import type { TokenProvider } from './kommo/tokens';
import { APP_ICON_PATH } from './widget-package/app-icon';
import { createLinearApi, type LinearApi } from './linear/client';
import type { LinearTokenSource } from './linear/tokens';
import type { Metrics } from './ops/metrics';
import type { RateSlots } from './rate-slots';
import { createReferenceData, type ReferenceData } from './reference-data';

export interface Tenant {
  kommo: KommoClient;
  linear: LinearApi;
  referenceData: ReferenceData;
}

export interface TenantDeps {
  config: Pick<Config, 'httpTimeoutMs' | 'kommoRateLimitPerSecond' | 'linearApiUrl' | 'publicUrl'>;
  /** The Kommo limiter's slots (rate-slots.ts): shared by the deployment's processes. */
  rateSlots: RateSlots;
  cache: CacheStore;
  metrics: Metrics;
  /** The installation's credentials as stored (the installation store's cached read). */
  credentials(installationId: string): Promise<InstallationCredentials | undefined>;
  /** The refreshing token source of an OAuth installation (one per installation). */
  tokensFor(installation: Installation): TokenProvider | undefined;
  /** The installation's Linear credential: its OAuth token (refreshing) or its API key. */
  linearTokensFor(installation: Installation): LinearTokenSource;
}

export function createTenants(deps: TenantDeps): (installation: Installation) => Tenant {
  const memo = new Map<string, { fingerprint: string; tenant: Tenant }>();
  return (installation) => {
    // The clients read credentials at each call: only a new address (or mode) rebuilds them.
    const fingerprint = `${installation.mode}|${installation.kommoBaseUrl}`;
    const known = memo.get(installation.id);
    if (known && known.fingerprint === fingerprint) return known.tenant;
    const tenant = buildTenant(deps, installation);
    memo.set(installation.id, { fingerprint, tenant });
    return tenant;
  };
}

function buildTenant(deps: TenantDeps, installation: Installation): Tenant {
  const { config, metrics } = deps;
  // One bucket per installation, named by what never changes: the installation id. The account
  // id is learned later and would name a second bucket in processes that learned it first.
  const bucket = `kommo:${installation.id}`;
  const tokens = deps.tokensFor(installation);
  const kommo = createKommoClient({
    baseUrl: installation.kommoBaseUrl,
    timeoutMs: config.httpTimeoutMs,
    accessToken: async () => {
      if (tokens) return tokens.current();
      const token = (await deps.credentials(installation.id))?.kommoAccessToken;
      if (!token) throw new AppError('kommo_unauthorized', 'Kommo is not connected for this installation; install the widget again');
      return token;
    },
    ...(tokens ? { renewToken: (stale: string) => tokens.renew(stale) } : {}),
    throttle: () => deps.rateSlots.acquire(bucket, config.kommoRateLimitPerSecond, config.httpTimeoutMs),
    onCall: (call) => {
      const outcome = call.status === 'error' ? 'error' : call.status < 400 ? 'ok' : `http_${call.status}`;
      metrics.upstreamCalls.inc({ service: 'kommo', outcome });
      metrics.upstreamSeconds.observe({ service: 'kommo' }, call.ms / 1000);
    },
  });
  const linear = createLinearApi({
    apiUrl: config.linearApiUrl,
    token: deps.linearTokensFor(installation),
    timeoutMs: config.httpTimeoutMs,
    appIconUrl: `${config.publicUrl}${APP_ICON_PATH}`,
    onCall: (call) => {
      metrics.upstreamCalls.inc({ service: 'linear', outcome: call.ok ? 'ok' : 'error' });
      metrics.upstreamSeconds.observe({ service: 'linear' }, call.ms / 1000);
    },
  });
  return { kommo, linear, referenceData: createReferenceData(deps.cache, installation.id, kommo, linear) };
}
