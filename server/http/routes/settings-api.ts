/**
 * The settings page API (`/api/widget/settings`, schemas in shared/settings-api.ts): admins only,
 * by the one-time token's `is_admin` claim. Transport only: auth, parse, call the page's flow.
 */
import type Router from '@koa/router';
import { createRouter } from '../router';
import type { Context } from 'koa';
import { WIDGET_API_PREFIX } from '../../../shared/api';
import { LinearKeyRequestSchema, LinearWebhookSecretRequestSchema, PreviewRequestSchema } from '../../../shared/settings-api';
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import type { SettingsPage } from '../../flows/settings/settings-page';
import { widgetCors } from '../middleware/cors';
import { widgetAuth, widgetAuthOf, type WidgetGate } from '../middleware/widget-auth';
import { parse, readJson } from '../parse-input';

export interface SettingsApiDeps {
  gate: WidgetGate;
  pageFor(installation: Installation): SettingsPage;
}

export function settingsApiRoutes(deps: SettingsApiDeps): Router {
  const router = createRouter({ prefix: `${WIDGET_API_PREFIX}/settings` });
  router.use(widgetCors(deps.gate.knowsOrigin));
  router.use(widgetAuth(deps.gate.verify));
  router.use(async (ctx, next) => {
    if (ctx.method !== 'OPTIONS' && !widgetAuthOf(ctx).isAdmin) {
      throw new AppError('forbidden', 'Only Kommo account admins can see and change the integration settings');
    }
    await next();
  });
  // Preflights carry no token; widgetCors answers them before widgetAuth.
  router.options(['/', '/linear-key', '/linear-webhook-secret', '/preview'], () => undefined);
  const page = (ctx: Context) => deps.pageFor(widgetAuthOf(ctx).installation);

  router.get('/', async (ctx) => {
    ctx.body = await page(ctx).view(true);
  });
  router.put('/', async (ctx) => {
    ctx.body = await page(ctx).save(await readJson(ctx), widgetAuthOf(ctx).userId);
  });
  router.post('/linear-key', async (ctx) => {
    const { apiKey } = parse(LinearKeyRequestSchema, await readJson(ctx), 'apiKey');
    ctx.body = await page(ctx).connectLinear(apiKey);
  });
  router.delete('/linear-key', async (ctx) => {
    await page(ctx).disconnectLinear();
    ctx.status = 204;
  });
  router.put('/linear-webhook-secret', async (ctx) => {
    const { secret } = parse(LinearWebhookSecretRequestSchema, await readJson(ctx), 'secret');
    ctx.body = await page(ctx).setLinearWebhookSecret(secret);
  });
  router.post('/preview', async (ctx) => {
    const request = parse(PreviewRequestSchema, await readJson(ctx), 'leadId');
    ctx.body = await page(ctx).preview(request.leadId, request.settings);
  });
  return router;
}
