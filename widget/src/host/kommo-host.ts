/**
 * One typed facade over Kommo's widget `self` and the global `APP`. Components and the backend
 * client depend on this interface only, so tests and the browser end-to-end page can provide
 * their own host.
 */
import { toLanguage, type Language } from '../../../shared/kommo';
import { EMPTY_SERVER_URL_MARKER, serverUrlIn } from '../../../shared/server-url-marker';
import type { HostStrings, StringGroup } from '../i18n/messages';
import type { AjaxOptions, KommoApp, KommoSelf, XhrLike } from './kommo-types';

/** A finished HTTP exchange; `status` 0 means no answer (network error, timeout, abort). */
export interface HostResponse {
  status: number;
  body: unknown;
  /** jQuery's textStatus, e.g. `timeout`, `error`, `parsererror`. */
  textStatus: string;
  /** The answer's ETag, when the server sent one (and CORS exposes it). */
  etag?: string;
}

export interface HostRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  timeoutMs: number;
  headers?: Record<string, string>;
}

export interface KommoHost {
  /** The open deal's id; 0 for a new, unsaved deal; null outside a deal card. */
  leadId(): number | null;
  language(): Language;
  /**
   * One group of Kommo's strings for the user's language (the installed widget's
   * `i18n/<lang>.json`); undefined for English, a language the widget has no file for (both use
   * the bundled English), or a host that serves none.
   */
  strings(group: StringGroup): HostStrings;
  /** Where the widget is drawn: `lcard`, `settings`, `advanced_settings`, … */
  area(): string;
  /**
   * The backend base URL without a trailing slash: the widget setting `server_url` when an admin
   * filled it (self-hosters' override), else the address baked into script.js; '' when neither.
   */
  serverUrl(): string;
  widgetCode(): string;
  /** Link to this widget's settings page in Kommo, for admins when nothing is configured yet. */
  settingsUrl(): string;
  /** `self.$authorizedAjax` (adds `X-Auth-Token`) as a promise that always settles. */
  authorizedRequest(request: HostRequest): Promise<HostResponse>;
  /**
   * Loads another file of the widget package (e.g. `settings.js`, an AMD module) with Kommo's
   * RequireJS from `self.params.path`; rejects when there is no `require` or no path.
   */
  loadModule(file: string): Promise<unknown>;
  /** Creates the sidebar block and returns the element to mount into. */
  renderBlock(className: string): HTMLElement | null;
}

/**
 * The address the build (WIDGET_SERVER_URL / PUBLIC_URL) or a server serving its own zip wrote
 * into script.js's marker; '' in an unbuilt source or a build without one (widget/README.md).
 */
const BAKED_SERVER_URL = serverUrlIn(EMPTY_SERVER_URL_MARKER) ?? '';

/** RequireJS's global `require(deps, onLoad, onError)`. */
type AmdRequire = (deps: string[], onLoad: (module: unknown) => void, onError: (error: unknown) => void) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function parseBody(xhr: XhrLike): unknown {
  if (xhr.responseJSON !== undefined) return xhr.responseJSON;
  if (!xhr.responseText) return undefined;
  try {
    return JSON.parse(xhr.responseText);
  } catch {
    return xhr.responseText;
  }
}

/** Builds the facade; every read is lazy because Kommo adds `self`'s methods after construction. */
export function createKommoHost(self: KommoSelf, getApp: () => KommoApp | undefined, doc: Document): KommoHost {
  const settings = () => self.get_settings() ?? {};
  const language = () => toLanguage(getApp()?.lang_id ?? doc.documentElement.lang);
  return {
    leadId() {
      const card = getApp()?.data?.current_card;
      if (!card) return null;
      const id = Number(card.id);
      return Number.isSafeInteger(id) && id >= 0 ? id : null;
    },
    language,
    strings(group) {
      if (language() === 'en') return undefined;
      // self.i18n(group) is the documented way; self.langs holds the same file.
      const fromI18n = typeof self.i18n === 'function' ? self.i18n(group) : undefined;
      if (isObject(fromI18n)) return fromI18n;
      return isObject(self.langs) ? self.langs[group] : undefined;
    },
    area() {
      return self.system()?.area ?? '';
    },
    serverUrl() {
      const override = (settings().server_url ?? '').trim().replace(/\/+$/, '');
      return override || BAKED_SERVER_URL;
    },
    widgetCode() {
      return settings().widget_code ?? self.params?.widget_code ?? '';
    },
    settingsUrl() {
      // Kommo's advanced settings page for a widget (location `advanced_settings`).
      return `/settings/widgets/${encodeURIComponent(this.widgetCode())}/`;
    },
    authorizedRequest(request) {
      const options: AjaxOptions = {
        url: request.url,
        method: request.method,
        dataType: 'json',
        timeout: request.timeoutMs,
      };
      if (request.body !== undefined) {
        options.contentType = 'application/json';
        options.data = JSON.stringify(request.body);
      }
      if (request.headers) options.headers = request.headers;
      return new Promise((resolve) => {
        self
          .$authorizedAjax(options)
          .done((data, textStatus, xhr) => {
            const etag = xhr?.getResponseHeader?.('ETag');
            // jQuery counts 304 as success, with no data (https://api.jquery.com/jQuery.ajax/).
            resolve({ status: xhr?.status ?? 200, body: data, textStatus, ...(etag ? { etag } : {}) });
          })
          .fail((xhr, textStatus) => resolve({ status: xhr?.status ?? 0, body: parseBody(xhr ?? { status: 0 }), textStatus }));
      });
    },
    loadModule(file) {
      const amdRequire = (doc.defaultView as (Window & { require?: AmdRequire }) | null)?.require;
      const base = (self.params?.path ?? settings().path ?? '').replace(/\/+$/, '');
      if (typeof amdRequire !== 'function' || !base) return Promise.reject(new Error(`Cannot load ${file}: no RequireJS or widget path`));
      const version = settings().version;
      const url = `${base}/${file}${version ? `?v=${encodeURIComponent(version)}` : ''}`;
      return new Promise((resolve, reject) => amdRequire([url], resolve, reject));
    },
    renderBlock(className) {
      self.render_template({
        caption: { class_name: `${className}-caption` },
        body: `<div class="${className}"></div>`,
        render: '',
      });
      const blocks = doc.querySelectorAll<HTMLElement>(`.${className}`);
      return blocks[blocks.length - 1] ?? null;
    },
  };
}
