/**
 * Widget calls carry Kommo's one-time token (`X-Auth-Token`). The token is verified by
 * kommo/widget-token.ts; here the verified caller is bound to the request, and a browser request
 * must come from that account's Kommo origin.
 */
import type { Context, Next } from 'koa';
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import type { WidgetCaller } from '../../kommo/widget-token';
import { bindOrigin } from './cors';

export interface WidgetAuth {
  installation: Installation;
  accountId: number;
  userId: number | null;
  isAdmin: boolean;
}

/** Verifies a one-time token: the caller, or a 401 that says what is wrong. */
export type VerifyWidgetToken = (token: string) => Promise<WidgetCaller>;

/** What guards the widget's routes: the token check, and the origins CORS lets in. */
export interface WidgetGate {
  verify: VerifyWidgetToken;
  knowsOrigin(origin: string): Promise<boolean>;
}

const authOf = new WeakMap<Context, WidgetAuth>();

/** The verified caller of a widget route; only valid after `widgetAuth`. */
export function widgetAuthOf(ctx: Context): WidgetAuth {
  const auth = authOf.get(ctx);
  if (!auth) throw new AppError('internal', 'widget route without widgetAuth');
  return auth;
}

export function widgetAuth(verify: VerifyWidgetToken) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const token = ctx.get('x-auth-token').trim();
    if (!token) throw new AppError('unauthorized', 'Missing X-Auth-Token header: call this API from the Kommo widget ($authorizedAjax)');
    const { issuer, ...auth } = await verify(token);
    bindOrigin(ctx, auth.installation, issuer);
    const disabled = auth.installation.disabled;
    if (auth.installation.status === 'disabled') {
      throw new AppError(
        'installation_disabled',
        `This installation was disabled on ${(disabled?.at ?? new Date(0)).toISOString()} because Kommo revoked its access; install the widget again (a new authorization) to enable it`,
        { details: { disabledAt: (disabled?.at ?? new Date(0)).toISOString(), disabledBy: disabled?.by ?? 'kommo_revoke' } },
      );
    }
    authOf.set(ctx, auth);
    await next();
  };
}
