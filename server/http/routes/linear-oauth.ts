/**
 * "Connect Linear": the widget's admin-only start and disconnect (Kommo one-time token), and
 * `GET /oauth/linear/callback`, where Linear's consent page sends the browser. The callback
 * checks the state and answers a small page that hands code and state to the Kommo page which
 * opened it (and only that origin), then closes; that page finishes with `POST …/complete`.
 * Transport only: the flow is flows/linear-connect.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { LINEAR_OAUTH_API, LinearOAuthCompleteRequestSchema, LinearOAuthStartRequestSchema, type LinearOAuthMessage } from '../../../shared/linear-oauth-api';
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

const NO_OPENER = 'This window was not opened from the Linear widget\'s settings page in Kommo, so nothing was connected: click "Connect Linear" there.';

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
  widget.options(['/', '/start', '/complete'], () => undefined);
  widget.post('/start', async (ctx) => {
    const { admin } = parse(LinearOAuthStartRequestSchema, await readJson(ctx), 'admin');
    const auth = widgetAuthOf(ctx);
    ctx.body = await deps.connect.start(auth.installation, auth.userId, { admin: admin === true });
  });
  widget.post('/complete', async (ctx) => {
    const input = parse(LinearOAuthCompleteRequestSchema, await readJson(ctx), 'code');
    const auth = widgetAuthOf(ctx);
    const connected = await deps.connect.complete(auth.installation, auth.userId, input);
    ctx.body = { workspace: connected.workspace };
  });
  widget.delete('/', async (ctx) => {
    await deps.connect.disconnect(widgetAuthOf(ctx).installation);
    ctx.status = 204;
  });

  const callback = createRouter();
  callback.get('/oauth/linear/callback', async (ctx) => {
    try {
      const query = parse(CallbackQuerySchema, ctx.query, 'query');
      const checked = await deps.connect.callback(query);
      const message: LinearOAuthMessage = { type: 'linear-for-kommo:linear-oauth', status: 'code', code: checked.code, state: checked.state };
      // Only the installation's own Kommo page may hear it (never '*'); it finishes with its own token.
      const origin = originOf(checked.installation.kommoBaseUrl);
      const script = origin
        ? `<script>if (window.opener) { window.opener.postMessage(${scriptJson(message)}, ${scriptJson(origin)}); window.close(); } else { document.querySelector('p').textContent = ${scriptJson(NO_OPENER)}; }</script>`
        : '';
      page(ctx, 200, 'Finishing in the Kommo settings page… You can close this window.', script);
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === 'internal') deps.log.error({ err: thrown }, 'Linear OAuth callback failed');
      else deps.log.info({ code: error.code, field: error.field }, `Linear OAuth callback refused: ${error.message}`);
      page(ctx, httpStatusOf(error), error.code === 'internal' ? 'Something went wrong on our side; it has been logged. Try "Connect Linear" again.' : error.message);
    }
  });
  return [widget, callback];
}
