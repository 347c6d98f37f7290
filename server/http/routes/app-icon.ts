/** `GET /app-icon.png`: the app's logo, public and cacheable (Linear shows it beside our authors). */
import type Router from '@koa/router';
import { APP_ICON_PATH, readAppIcon } from '../../widget-package/app-icon';
import { createRouter } from '../router';

export function appIconRoutes(): Router {
  const router = createRouter();
  router.get(APP_ICON_PATH, async (ctx) => {
    ctx.type = 'image/png';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = await readAppIcon();
  });
  return router;
}
