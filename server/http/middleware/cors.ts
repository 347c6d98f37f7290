/**
 * CORS for the widget API: Kommo pages call us from the account's own origin
 * (https://<subdomain>.kommo.com). Only origins of active installations get CORS headers; once the
 * token is verified, the origin must be that account's (its base URL, or the token's `iss`).
 */
import type { Context, Next } from 'koa';
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import { originOf } from '../../origin';

export const ALLOWED_HEADERS = 'X-Auth-Token, Content-Type, If-None-Match';
/** The card's live poll reads the ETag to send it back (https://fetch.spec.whatwg.org/#http-access-control-expose-headers). */
export const EXPOSED_HEADERS = 'ETag';
export const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

function allow(ctx: Context, origin: string): void {
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
  ctx.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
  ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

function requestOrigin(ctx: Context): string | undefined {
  const header = ctx.get('origin');
  return header ? originOf(header) : undefined;
}

/**
 * Answers preflights (204; with CORS headers only for a known origin) and adds CORS headers to
 * other requests from a known origin, so that even a 401 can be read by the widget.
 */
/** `knowsOrigin`: whether an origin belongs to an active installation. */
export function widgetCors(knowsOrigin: (origin: string) => Promise<boolean>) {
  return async (ctx: Context, next: Next): Promise<void> => {
    ctx.vary('Origin');
    const origin = requestOrigin(ctx);
    const known = origin !== undefined && (await knowsOrigin(origin));
    if (ctx.method === 'OPTIONS') {
      if (known) {
        allow(ctx, origin);
        ctx.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      ctx.status = 204;
      return;
    }
    if (known) allow(ctx, origin);
    await next();
  };
}

/** After the token is verified: a browser request must come from that account's Kommo origin. */
export function bindOrigin(ctx: Context, installation: Installation, issuer: string | undefined): void {
  if (!ctx.get('origin')) return; // not a browser cross-origin call
  const origin = requestOrigin(ctx);
  const own = originOf(installation.kommoBaseUrl);
  if (origin !== undefined && (origin === own || origin === issuer)) {
    allow(ctx, origin);
    return;
  }
  for (const header of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Headers', 'Access-Control-Allow-Methods', 'Access-Control-Expose-Headers']) ctx.remove(header);
  throw new AppError('forbidden', `Origin ${ctx.get('origin')} is not the Kommo address of account ${installation.kommoAccountId ?? '(unknown)'}`);
}
