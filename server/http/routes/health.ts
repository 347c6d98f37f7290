/** Liveness, readiness and Prometheus metrics. */
import type Router from '@koa/router';
import { createRouter } from '../router';
import { safeEqual } from '../../crypto/secret-box';
import { AppError } from '../../errors';
import type { Metrics } from '../../ops/metrics';

export interface HealthDeps {
  /** True when the database answers and every migration has run. */
  ready: () => Promise<{ ok: boolean; detail: string }>;
  metrics: Metrics;
  /** When set, /metrics needs `Authorization: Bearer <token>` (METRICS_TOKEN). */
  metricsToken: string | undefined;
}

export function healthRoutes(deps: HealthDeps): Router {
  const router = createRouter();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const result = await deps.ready().catch((error: unknown) => ({
      ok: false,
      detail: `database unreachable: ${error instanceof Error ? error.message : String(error)}`,
    }));
    ctx.status = result.ok ? 200 : 503;
    ctx.body = { status: result.ok ? 'ready' : 'not ready', detail: result.detail };
  });
  router.get('/metrics', async (ctx) => {
    if (deps.metricsToken !== undefined) {
      const given = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1] ?? '';
      if (!safeEqual(given, deps.metricsToken)) {
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new AppError('unauthorized', '/metrics needs Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  return router;
}
