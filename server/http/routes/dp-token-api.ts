/**
 * `GET /api/widget/dp-token`: the installation's Digital Pipeline token (kommo/dp-token.ts), which
 * the widget's `dpSettings` callback writes into the action's hidden token setting. Admins only,
 * by the one-time token's `is_admin` claim, like the settings API: whoever holds the token can
 * make the marketplace DP route act for the account.
 */
import type Router from '@koa/router';
import { WIDGET_API_PREFIX } from '../../../shared/api';
import { DP_TOKEN_API, type DpTokenResponse } from '../../../shared/dp-api';
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import { widgetCors } from '../middleware/cors';
import { widgetAuth, widgetAuthOf, type WidgetGate } from '../middleware/widget-auth';
import { createRouter } from '../router';

export interface DpTokenApiDeps {
  gate: WidgetGate;
  /** The token; undefined when the installation keeps no webhook secret to derive it from. */
  dpTokenOf(installation: Installation): Promise<string | undefined>;
}

export function dpTokenApiRoutes(deps: DpTokenApiDeps): Router {
  const router = createRouter({ prefix: `${WIDGET_API_PREFIX}${DP_TOKEN_API}` });
  router.use(widgetCors(deps.gate.knowsOrigin));
  router.use(widgetAuth(deps.gate.verify));
  // Preflights carry no token; widgetCors answers them before widgetAuth.
  router.options('/', () => undefined);
  router.get('/', async (ctx) => {
    const { installation, isAdmin } = widgetAuthOf(ctx);
    if (!isAdmin) throw new AppError('forbidden', 'Only Kommo account admins can set up the Digital Pipeline action');
    if (installation.mode !== 'oauth') {
      throw new AppError('conflict', 'This installation is self-hosted: its Digital Pipeline action posts to the webhook URL with its secret and needs no token');
    }
    const token = await deps.dpTokenOf(installation);
    if (!token) throw new AppError('conflict', 'This installation has no Digital Pipeline token yet: reinstall the widget in the account, then set the action up again');
    ctx.set('Cache-Control', 'no-store');
    const body: DpTokenResponse = { token };
    ctx.body = body;
  });
  return router;
}
