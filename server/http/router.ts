/**
 * Every router of the app. Case-sensitive, because @koa/router matches routes case-insensitively
 * by default while a router's `use` middleware under a prefix matches case-sensitively: with the
 * default, `/Api/widget/settings` reached the handler without the token check.
 */
import Router from '@koa/router';

export function createRouter(options: { prefix?: string } = {}): Router {
  return new Router({ ...options, sensitive: true });
}
