import type { ParsedQs } from 'qs';
import type { Reply } from './http';
import type { OAuthServer } from './oauth';
import type { ApiSite } from './serialize';
import type { KommoStore } from './store';
import type { AccountSettings } from './types';

export interface RouteContext {
  store: KommoStore;
  site: ApiSite;
  account: AccountSettings;
  oauth: OAuthServer;
  flags: { webhooksForbidden: boolean };
  /** The route's `:id` path parameter (0 when it has none); all of Kommo's are integer ids. */
  id: number;
  /** A second id in the path (`/leads/:id/notes/:subId`), 0 when it has none. */
  subId: number;
  query: ParsedQs;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** An `:id` segment matches integer ids only, so `/leads/custom_fields` never hits `/leads/:id`. */
  path: string;
  handler: (ctx: RouteContext) => Reply;
}

interface CompiledRoute extends Route {
  regex: RegExp;
}

export type RouteMatch = { kind: 'found'; route: Route; id: number; subId: number } | { kind: 'wrong-method' } | { kind: 'none' };

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => {
      const source = route.path.replace(/:id\b/, '(\\d+)').replace(/:subId\b/, '(\\d+)');
      return { ...route, regex: new RegExp(`^${source}/?$`) };
    });
  }

  match(method: string, path: string): RouteMatch {
    let pathKnown = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (route.method !== method) continue;
      return { kind: 'found', route, id: Number(m[1] ?? 0), subId: Number(m[2] ?? 0) };
    }
    return pathKnown ? { kind: 'wrong-method' } : { kind: 'none' };
  }
}
