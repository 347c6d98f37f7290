/** `GET /widget.zip`: the widget package with this server's address baked in, ready to upload to Kommo. */
import type Router from '@koa/router';
import { matches } from '../etag';
import { createRouter } from '../router';
import { AppError } from '../../errors';
import type { WidgetZip } from '../../widget-package/widget-zip';

export function widgetZipRoutes(deps: { widgetZip: WidgetZip }): Router {
  const router = createRouter();
  router.get('/widget.zip', async (ctx) => {
    const zip = await deps.widgetZip.get();
    if (!zip) throw new AppError('not_found', 'The widget is not built on this server: run `npm run build:widget` there, then download /widget.zip again');
    ctx.set('ETag', zip.etag);
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Disposition', 'attachment; filename="linear-for-kommo-widget.zip"');
    ctx.type = 'application/zip';
    // Not `ctx.fresh`: etag.ts says why.
    if (matches(ctx.get('if-none-match'), zip.etag)) {
      ctx.status = 304;
      return;
    }
    ctx.body = zip.body;
  });
  return router;
}
