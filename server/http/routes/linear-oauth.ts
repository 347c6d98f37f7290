/**
 * "Connect Linear": the widget's admin-only start and disconnect (Kommo one-time token), and
 * `GET /oauth/linear/callback`, where Linear's consent page sends the browser. The callback
 * answers a small page that tells the Kommo page which opened it (and only that origin) that
 * Linear is connected, then closes. Transport only: the flow is flows/linear-connect.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { LINEAR_OAUTH_API, LinearOAuthStartRequestSchema, type LinearOAuthMessage } from '../../../shared/linear-oauth-api';
import { AppError, httpStatusOf, toAppError } from '../../errors';
import type { LinearConnect } from '../../flows/linear-connect/connect-linear';
import type { Logger } from '../../log';
import { originOf } from '../../origin';
import { widgetCors } from '../middleware/cors';
import { widgetAuth, widgetAuthOf, type WidgetGate } from '../middleware/widget-auth';
import { parse, readJson } from '../parse-input';
import { createRouter } from '../router';

export interface LinearOAuthRoutesDeps {
  gate: WidgetGate;
  connect: LinearConnect;
  log: Logger;
}

const CallbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(200).optional(),
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON that cannot close the script element it sits in. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function page(ctx: Context, status: number, text: string, script = ''): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.set('content-security-policy', "default-src 'none'; script-src 'unsafe-inline'; base-uri 'none'");
  ctx.set('referrer-policy', 'no-referrer');
  ctx.body = `<!doctype html><html><head><meta charset="utf-8"><title>Linear for Kommo</title></head><body><p>${escapeHtml(text)}</p>${script}</body></html>`;
}

export function linearOAuthRoutes(deps: LinearOAuthRoutesDeps): Router[] {
  const widget = createRouter({ prefix: LINEAR_OAUTH_API });
  widget.use(widgetCors(deps.gate.knowsOrigin));
  widget.use(widgetAuth(deps.gate.verify));
  widget.use(async (ctx, next) => {
    if (ctx.method !== 'OPTIONS' && !widgetAuthOf(ctx).isAdmin) throw new AppError('forbidden', 'Only Kommo account admins can connect or disconnect Linear');
    await next();
  });
  widget.options(['/', '/start'], () => undefined);
  widget.post('/start', async (ctx) => {
    const { admin } = parse(LinearOAuthStartRequestSchema, await readJson(ctx), 'admin');
    const auth = widgetAuthOf(ctx);
    ctx.body = await deps.connect.start(auth.installation, auth.userId, { admin: admin === true });
  });
  widget.delete('/', async (ctx) => {
    await deps.connect.disconnect(widgetAuthOf(ctx).installation);
    ctx.status = 204;
  });

  const callback = createRouter();
  callback.get('/oauth/linear/callback', async (ctx) => {
    try {
      const query = parse(CallbackQuerySchema, ctx.query, 'query');
      const connected = await deps.connect.callback(query);
      const message: LinearOAuthMessage = { type: 'linear-for-kommo:linear-oauth', status: 'connected', workspace: connected.workspace };
      // Only the installation's own Kommo page may hear it (never '*').
      const origin = originOf(connected.installation.kommoBaseUrl);
      const script = origin ? `<script>if (window.opener) window.opener.postMessage(${scriptJson(message)}, ${scriptJson(origin)}); window.close();</script>` : '';
      page(ctx, 200, `Linear is connected (${connected.workspace}). You can close this window.`, script);
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === 'internal') deps.log.error({ err: thrown }, 'Linear OAuth callback failed');
      else deps.log.info({ code: error.code, field: error.field }, `Linear OAuth callback refused: ${error.message}`);
      page(ctx, httpStatusOf(error), error.code === 'internal' ? 'Something went wrong on our side; it has been logged. Try "Connect Linear" again.' : error.message);
    }
  });
  return [widget, callback];
}
