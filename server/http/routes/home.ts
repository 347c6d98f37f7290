/** `/`: what this server is and what is left to set up, as HTML for a browser or JSON on request. */
import type Router from '@koa/router';
import { createRouter } from '../router';
import { renderSetupPage, type SetupStatus } from '../setup-page';

export interface HomeDeps {
  status(): Promise<SetupStatus>;
}

// The page has no script and loads nothing: the strictest policy fits it.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function homeRoutes(deps: HomeDeps): Router {
  const router = createRouter();
  router.get('/', async (ctx) => {
    const status = await deps.status();
    ctx.vary('Accept');
    ctx.set('Cache-Control', 'no-store');
    if (ctx.accepts('html', 'json') === 'json') {
      ctx.body = status;
      return;
    }
    ctx.set('Content-Security-Policy', CSP);
    ctx.type = 'html';
    ctx.body = renderSetupPage(status);
  });
  return router;
}
