/**
 * Builds the per-installation clients (Kommo, Linear) and the cached directory. Every upstream
 * call of an installation goes through here, so credentials, throttling and metrics are applied
 * in one place.
 */
import type { Config } from './config';
import type { CacheStore } from './db/cache-store';
import type { Db } from './db/create-db';
import type { Installation } from './db/repos/installations';
import { waitForRateSlot } from './db/repos/rate-slots';
import { AppError } from './errors';
import { createKommoClient, type KommoClient } from './kommo/client';
import { createLinearApi, type LinearApi } from './linear/client';
import type { Metrics } from './ops/metrics';
import { createDirectory, type Directory } from './sync/directory';
import type { TokenProvider } from './sync/kommo-tokens';

export interface Tenant {
  kommo: KommoClient;
  linear: LinearApi;
  directory: Directory;
}

export interface TenantDeps {
  config: Pick<Config, 'httpTimeoutMs' | 'kommoRateLimitPerSecond' | 'linearApiUrl'>;
  db: Db;
  cache: CacheStore;
  metrics: Metrics;
  /** The refreshing token source of an OAuth installation (one per installation). */
  tokensFor(installation: Installation): TokenProvider | undefined;
}

export function createTenants(deps: TenantDeps): (installation: Installation) => Tenant {
  const memo = new Map<string, { fingerprint: string; tenant: Tenant }>();
  return (installation) => {
    // OAuth tokens rotate through their provider; only a changed long-lived token or key rebuilds the clients.
    const kommoToken = installation.mode === 'oauth' ? 'oauth' : (installation.kommoAccessToken ?? '');
    const fingerprint = `${kommoToken}|${installation.linearApiKey ?? ''}|${installation.kommoBaseUrl}`;
    const known = memo.get(installation.id);
    if (known && known.fingerprint === fingerprint) return known.tenant;
    const tenant = buildTenant(deps, installation);
    memo.set(installation.id, { fingerprint, tenant });
    return tenant;
  };
}

function buildTenant(deps: TenantDeps, installation: Installation): Tenant {
  const { config, metrics } = deps;
  const bucket = `kommo:${installation.kommoAccountId ?? installation.id}`;
  const tokens = deps.tokensFor(installation);
  const kommo = createKommoClient({
    baseUrl: installation.kommoBaseUrl,
    timeoutMs: config.httpTimeoutMs,
    accessToken: async () => {
      if (tokens) return tokens.current();
      if (!installation.kommoAccessToken) throw new AppError('kommo_unauthorized', 'Kommo is not connected for this installation; install the widget again');
      return installation.kommoAccessToken;
    },
    ...(tokens ? { renewToken: (stale: string) => tokens.renew(stale) } : {}),
    throttle: () => waitForRateSlot(deps.db, bucket, config.kommoRateLimitPerSecond),
    onCall: (call) => {
      const outcome = call.status === 'error' ? 'error' : call.status < 400 ? 'ok' : `http_${call.status}`;
      metrics.upstreamCalls.inc({ service: 'kommo', outcome });
      metrics.upstreamSeconds.observe({ service: 'kommo' }, call.ms / 1000);
    },
  });
  const linear = createLinearApi({
    apiUrl: config.linearApiUrl,
    apiKey: installation.linearApiKey ?? '',
    timeoutMs: config.httpTimeoutMs,
    onCall: (call) => {
      metrics.upstreamCalls.inc({ service: 'linear', outcome: call.ok ? 'ok' : 'error' });
      metrics.upstreamSeconds.observe({ service: 'linear' }, call.ms / 1000);
    },
  });
  return { kommo, linear, directory: createDirectory(deps.cache, installation.id, kommo, linear) };
}
