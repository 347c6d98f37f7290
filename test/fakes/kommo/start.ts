import { FaultInjector } from './faults';
import { FakeKommo } from './fake';
import { OAuthServer } from './oauth';
import { Router } from './router';
import { customFieldRoutes } from './routes/custom-fields';
import { directoryRoutes } from './routes/directory';
import { leadReadRoutes } from './routes/leads';
import { companyRoutes } from './routes/companies';
import { leadWriteRoutes } from './routes/lead-writes';
import { taskRoutes } from './routes/tasks';
import { webhookRoutes } from './routes/webhooks';
import { seedDefaults } from './seed';
import { KommoStore } from './store';
import { Traffic } from './traffic';

export interface FakeKommoOptions {
  accessToken?: string;
  accountId?: number;
  subdomain?: string;
  /** Latency added to every request, in ms (benchmarks use 100). */
  delayMs?: number;
  /** API requests beyond this many in any 1-second sliding window get 429. Off by default. */
  rateLimitPerSecond?: number;
  currency?: string;
  timezone?: string;
  language?: string;
}

export async function startFakeKommo(options: FakeKommoOptions = {}): Promise<FakeKommo> {
  const accessToken = options.accessToken ?? 'kommo_test_token';
  const store = new KommoStore();
  const oauth = new OAuthServer(accessToken);
  const router = new Router([
    ...customFieldRoutes,
    ...directoryRoutes,
    ...leadReadRoutes,
    ...companyRoutes,
    ...leadWriteRoutes,
    ...taskRoutes,
    ...webhookRoutes,
    { method: 'POST', path: '/oauth2/access_token', handler: (ctx) => ctx.oauth.handleTokenRequest(ctx.body) },
  ]);
  return FakeKommo.listen({
    router,
    store,
    oauth,
    faults: new FaultInjector(),
    traffic: new Traffic(),
    account: {
      accountId: options.accountId ?? 29999999,
      subdomain: options.subdomain ?? 'acme',
      currency: options.currency ?? 'USD',
      timezone: options.timezone ?? 'America/New_York',
      language: options.language ?? 'en',
    },
    accessToken,
    delayMs: options.delayMs ?? 0,
    rateLimitPerSecond: options.rateLimitPerSecond,
    seed: () => seedDefaults(store),
  });
}
