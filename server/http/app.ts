/**
 * Builds the Koa app from its dependencies. It never listens: main.ts does, and tests drive it
 * over a real socket of their own.
 */
import Koa from 'koa';
import type Router from '@koa/router';
import { maskSecretPath, type Logger } from '../log';
import { errorHandler } from './middleware/error-handler';
import { setBodyTimeout } from './middleware/read-body';
import { serverTiming } from './middleware/server-timing';

/** Every method and path the routers answer (tests walk it to try each route's path variants). */
export function routeTable(routers: Router[]): Array<{ method: string; path: string }> {
  return routers.flatMap((router) =>
    router.stack.flatMap((layer) => (typeof layer.path === 'string' ? layer.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, path: String(layer.path) })) : [])),
  );
}

export function createApp(log: Logger, routers: Router[], options: { bodyTimeoutMs: number }): Koa {
  const app = new Koa();
  setBodyTimeout(app, options.bodyTimeoutMs);
  app.proxy = true;
  app.use(serverTiming);
  app.use(errorHandler(log));
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: false }));
  }
  app.use(async (ctx) => {
    ctx.status = 404;
    ctx.body = { error: { code: 'not_found', message: `No route for ${ctx.method} ${maskSecretPath(ctx.path)}` } };
  });
  // Koa logs unhandled errors to stderr by default; ours are handled above, and sockets closed by
  // the client are not worth a line.
  app.silent = true;
  return app;
}
