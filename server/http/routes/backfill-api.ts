/**
 * The backfill API (`/api/widget/backfill`, schemas in shared/backfill-api.ts): admins only, like
 * the settings. Transport only: auth, parse, call the backfill flow, answer.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { WIDGET_API_PREFIX } from '../../../shared/api';
import { BackfillRequestSchema, type BackfillDryRunResponse, type BackfillRunView, type BackfillStatusResponse } from '../../../shared/backfill-api';
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import type { BackfillControl } from '../../flows/backfill/backfill-control';
import { backfillRange, backfillRunView } from '../../flows/backfill/backfill-range';
import { widgetCors } from '../middleware/cors';
import { widgetAuth, widgetAuthOf, type WidgetGate } from '../middleware/widget-auth';
import { parse, readJson } from '../parse-input';
import { createRouter } from '../router';

export interface BackfillApiDeps {
  gate: WidgetGate;
  backfillFor(installation: Installation): BackfillControl;
}

export function backfillApiRoutes(deps: BackfillApiDeps): Router {
  const router = createRouter({ prefix: `${WIDGET_API_PREFIX}/backfill` });
  router.use(widgetCors(deps.gate.knowsOrigin));
  router.use(widgetAuth(deps.gate.verify));
  router.use(async (ctx, next) => {
    if (ctx.method !== 'OPTIONS' && !widgetAuthOf(ctx).isAdmin) throw new AppError('forbidden', 'Only Kommo account admins can run a backfill');
    await next();
  });
  router.options(['/', '/dry-run'], () => undefined);
  const control = (ctx: Context) => deps.backfillFor(widgetAuthOf(ctx).installation);
  const range = async (ctx: Context) => backfillRange(parse(BackfillRequestSchema, await readJson(ctx), 'since'));

  router.post('/dry-run', async (ctx) => {
    const result = await control(ctx).dryRun(await range(ctx));
    const body: BackfillDryRunResponse = { count: result.count, first: result.first.map((c) => ({ leadId: c.leadId, linkKey: c.linkKey, name: c.name })) };
    ctx.body = body;
  });
  router.post('/', async (ctx) => {
    const body: BackfillRunView = backfillRunView(await control(ctx).start(await range(ctx)));
    ctx.status = 202;
    ctx.body = body;
  });
  router.get('/', async (ctx) => {
    const run = await control(ctx).current();
    const body: BackfillStatusResponse = { run: run ? backfillRunView(run) : null };
    ctx.body = body;
  });
  router.delete('/', async (ctx) => {
    const run = await control(ctx).cancel();
    const body: BackfillStatusResponse = { run: run ? backfillRunView(run) : null };
    ctx.body = body;
  });
  return router;
}
