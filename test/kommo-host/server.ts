/**
 * A Kommo-like web front end on loopback: the account's origin, as the browser sees
 * https://<subdomain>.kommo.com. It serves the deal card (`/leads/detail/:id`) with the widget
 * loaded exactly the way Kommo loads it (RequireJS + jQuery as the AMD module 'jquery', the
 * widget's `script.js` from its upload folder, Kommo's system methods on the prototype, then
 * render → init → bind_actions), mints the one-time tokens `$authorizedAjax` sends, and forwards
 * every other request (API v4, OAuth) to the Kommo API behind it (the loopback fake).
 *
 * Because page and API share one origin, exactly as on a real account, the server under test is
 * configured with this host's URL as KOMMO_BASE_URL: its CORS then answers the page's origin, and
 * the deal links it writes into Linear open this card.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { KommoApiError, readCard, type KommoApi } from './kommo-api';
import { renderAdvancedSettingsPage, renderCardPage, renderWidgetsPage, type HostNav, type HostPageKind, type PageBoot } from './page';

const ROOT = resolve(__dirname, '..', '..');
const PUBLIC_DIR = join(__dirname, 'public');
const VENDOR: Record<string, string> = {
  'require.js': join(ROOT, 'node_modules/requirejs/require.js'),
  'jquery.js': join(ROOT, 'node_modules/jquery/dist/jquery.js'),
};
const MIME: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
  '.zip': 'application/zip',
};

/** A value, or a function read at every use (for values known only after the host has started). */
export type Lazy<T> = T | (() => T);
const read = <T>(value: Lazy<T>): T => (typeof value === 'function' ? (value as () => T)() : value);

/** Waits (up to `ms`) for a lazy value that is not known yet, e.g. the Kommo API while the stack starts. */
async function ready<T>(value: Lazy<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const current = read(value);
    if (current !== undefined) return current;
    if (Date.now() > deadline) throw new Error(`${what} is not known to the Kommo host yet`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

export interface HostUser {
  id: number;
  name: string;
  email: string;
}

export interface KommoHostOptions {
  /** The built widget (`dist/widget`: script.js, manifest.json, i18n/, images/). */
  widgetDir: string;
  /**
   * The widget setting `server_url` (our backend's base URL), as an admin would type it; absent
   * or '' = left empty, so the widget uses the address baked into its script.js.
   */
  backendUrl?: Lazy<string>;
  /**
   * Kommo's API behind this front end (the fake), read for the card and proxied for everyone else.
   * May be undefined for a while (the server under test calls the API while it starts, before the
   * caller knows the fake): requests wait for it.
   */
  kommoApi: Lazy<KommoApi | undefined>;
  account: Lazy<{ id: number; subdomain: string }>;
  /** Mints the X-Auth-Token for one `$authorizedAjax` call, as Kommo does (HS256, client secret). */
  signToken: (request: { user: HostUser; isAdmin: boolean; origin: string }) => string;
  /**
   * The account's language (`APP.lang_id`); default `en`. The page hands the widget that
   * language's file from `widgetDir/i18n/` as `self.i18n`/`self.langs`, as Kommo does.
   */
  language?: Lazy<string>;
  /**
   * Whether the signed-in user is an account admin: the token's `is_admin` and
   * `APP.constant('user_rights')`. Read at every page and token, so a test can switch it.
   */
  isAdmin?: Lazy<boolean>;
  /** The signed-in Kommo user; default id 1 "Alice Manager". */
  user?: Lazy<HostUser>;
  widgetCode?: string;
  /** Extra routes tried before the proxy (the demo's board, Linear view…); return true when handled. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;
  /** Extra HTML for the card page's <head> (the demo adds a script that keeps linear.app links local). */
  headHtml?: string;
  /** Links in the page's left menu (the demo passes its board); Settings is always the host's. */
  nav?: HostNav;
  /** Port to listen on; default any free port. Always 127.0.0.1. */
  port?: number;
}

export interface KommoHost {
  /** `http://127.0.0.1:<port>`: the account's Kommo origin. */
  url: string;
  cardUrl(leadId: number): string;
  /** Settings → Integrations, where the widget's tile opens its settings modal. */
  widgetsUrl(): string;
  /** The widget's advanced settings page (`advanced_settings`), as the widget links to it. */
  advancedSettingsUrl(): string;
  /** How many one-time tokens the page asked for. */
  readonly tokensIssued: number;
  close(): Promise<void>;
}

export const DEFAULT_WIDGET_CODE = 'linear_for_kommo';
const DEFAULT_USER: HostUser = { id: 1, name: 'Alice Manager', email: 'alice@example.com' };

export function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

function sendFile(res: ServerResponse, file: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) {
    send(res, 404, `Not found: ${file}`);
    return;
  }
  res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
}

/** `base/rel` when `rel` stays inside `base`, else undefined. */
function inside(base: string, rel: string): string | undefined {
  const file = normalize(join(base, decodeURIComponent(rel)));
  return file === base || file.startsWith(base + sep) ? file : undefined;
}

function proxy(req: IncomingMessage, res: ServerResponse, target: string): void {
  const to = new URL(req.url ?? '/', target);
  const headers = { ...req.headers, host: to.host };
  const upstream = httpRequest(to, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) send(res, 502, `Kommo API unreachable: ${error.message}`);
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

export async function startKommoHost(options: KommoHostOptions): Promise<KommoHost> {
  const widgetDir = resolve(options.widgetDir);
  const widgetCode = options.widgetCode ?? DEFAULT_WIDGET_CODE;
  const widgetPath = `/upl/${widgetCode}/widget`;
  let tokensIssued = 0;
  let origin = '';

  const widgetsPath = '/settings/widgets/';
  const advancedPath = `${widgetsPath}${encodeURIComponent(widgetCode)}/`;
  const boot = (page: HostPageKind, leadId: number): PageBoot => {
    const account = read(options.account);
    return {
      page,
      leadId,
      language: read(options.language ?? 'en'),
      isAdmin: read(options.isAdmin ?? false),
      user: read(options.user ?? DEFAULT_USER),
      account: { id: account.id, subdomain: account.subdomain },
      widget: { code: widgetCode, path: widgetPath, serverUrl: read(options.backendUrl ?? '') },
      nav: { ...options.nav, settings: widgetsPath },
      headHtml: options.headHtml ?? '',
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const card = /^\/leads\/detail\/(\d+)\/?$/.exec(path);
    if (req.method === 'GET' && card) {
      send(res, 200, renderCardPage(boot('card', Number(card[1]))), 'text/html; charset=utf-8');
      return;
    }
    if (req.method === 'GET' && (path === widgetsPath || path === widgetsPath.slice(0, -1))) {
      send(res, 200, renderWidgetsPage(boot('widgets', 0)), 'text/html; charset=utf-8');
      return;
    }
    if (req.method === 'GET' && (path === advancedPath || path === advancedPath.slice(0, -1))) {
      send(res, 200, renderAdvancedSettingsPage(boot('advanced_settings', 0)), 'text/html; charset=utf-8');
      return;
    }
    const cardData = /^\/_host\/api\/leads\/(\d+)$/.exec(path);
    if (req.method === 'GET' && cardData) {
      try {
        sendJson(res, 200, await readCard(await ready(options.kommoApi, 'The Kommo API'), Number(cardData[1])));
      } catch (error) {
        const status = error instanceof KommoApiError ? error.status : 500;
        sendJson(res, status === 404 ? 404 : 502, { error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    if (req.method === 'POST' && path === '/_host/token') {
      // Same-origin only, like Kommo's session: the page asks, the host signs.
      const from = req.headers.origin;
      if (from !== undefined && from !== origin) {
        send(res, 403, 'cross-origin token request');
        return;
      }
      tokensIssued += 1;
      sendJson(res, 200, { token: options.signToken({ user: read(options.user ?? DEFAULT_USER), isAdmin: read(options.isAdmin ?? false), origin }) });
      return;
    }
    if (req.method === 'GET' && path.startsWith('/_host/vendor/')) {
      const file = VENDOR[path.slice('/_host/vendor/'.length)];
      if (file) sendFile(res, file);
      else send(res, 404, 'no such vendor file');
      return;
    }
    if (req.method === 'GET' && path.startsWith('/_host/static/')) {
      const file = inside(PUBLIC_DIR, path.slice('/_host/static/'.length));
      if (file) sendFile(res, file);
      else send(res, 404, 'not found');
      return;
    }
    if (req.method === 'GET' && path.startsWith(`${widgetPath}/`)) {
      const file = inside(widgetDir, path.slice(widgetPath.length + 1));
      if (file) sendFile(res, file);
      else send(res, 404, 'not found');
      return;
    }
    if (options.routes && (await options.routes(req, res, url))) return;
    if (path.startsWith('/api/') || path.startsWith('/oauth2/')) {
      proxy(req, res, (await ready(options.kommoApi, 'The Kommo API')).url);
      return;
    }
    send(res, 404, `Nothing at ${path} on this Kommo host`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, error instanceof Error ? (error.stack ?? error.message) : String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolveListen);
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    cardUrl: (leadId) => `${origin}/leads/detail/${leadId}`,
    widgetsUrl: () => `${origin}${widgetsPath}`,
    advancedSettingsUrl: () => `${origin}${advancedPath}`,
    get tokensIssued() {
      return tokensIssued;
    },
    async close() {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
    },
  };
}
