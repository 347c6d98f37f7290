/**
 * Tells the caller how long the server itself spent on the request (`Server-Timing: app;dur=ms`),
 * so the widget's card-open time and support tickets separate server time from network time.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Server-Timing
 */
import type { Context, Next } from 'koa';
import { performance } from 'node:perf_hooks';

export async function serverTiming(ctx: Context, next: Next): Promise<void> {
  const startedAt = performance.now();
  try {
    await next();
  } finally {
    ctx.set('Server-Timing', `app;dur=${(performance.now() - startedAt).toFixed(2)}`);
  }
}
