/**
 * The parts of Kommo's widget runtime this widget touches, typed by hand: Kommo publishes no
 * typings, only the descriptions at https://developers.kommo.com/docs/script-js. Everything is
 * optional or loose where the host is known to vary, so the facade can degrade instead of throwing.
 */

/** jQuery's XHR wrapper as passed to `fail` callbacks. */
export interface XhrLike {
  status: number;
  responseJSON?: unknown;
  responseText?: string;
  getResponseHeader?(name: string): string | null;
}

/** The subset of a jQuery Deferred that `$authorizedAjax` returns. */
export interface DeferredLike {
  done(callback: (data: unknown, textStatus: string, xhr: XhrLike) => void): DeferredLike;
  fail(callback: (xhr: XhrLike, textStatus: string, error: string) => void): DeferredLike;
}

/** jQuery.ajax options we pass through `$authorizedAjax`. */
export interface AjaxOptions {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  dataType: 'json';
  contentType?: string;
  data?: string;
  timeout: number;
  headers?: Record<string, string>;
}

export interface RenderTemplateOptions {
  caption: { class_name: string };
  body: string;
  render: string;
}

/** Values from `self.get_settings()`: the manifest's fields plus Kommo's system values. */
export interface WidgetSettings {
  /** Optional override of the baked server address (absent from a marketplace build's manifest). */
  server_url?: string;
  widget_code?: string;
  path?: string;
  version?: string;
  active?: string;
}

export interface WidgetSystem {
  area?: string;
  subdomain?: string;
  domain?: string;
}

/** The widget instance (`this` in the constructor) after Kommo has added its system methods. */
export interface KommoSelf {
  render_template(options: RenderTemplateOptions, data?: Record<string, unknown>): void;
  get_settings(): WidgetSettings;
  system(): WidgetSystem;
  /** The current user's locale file from the widget's `i18n/` folder, by key: a string or a sub-object. */
  i18n?(key: string): unknown;
  /** The same locale file as one object. */
  langs?: unknown;
  $authorizedAjax(options: AjaxOptions): DeferredLike;
  params?: { path?: string; widget_code?: string };
}

/** The global `APP` (older name `AMOCRM`). `current_card` is `false` outside cards. */
export interface KommoApp {
  lang_id?: string;
  data?: { current_card?: { id?: number | string } | false };
}

/** What the widget needs from jQuery: document-level events. */
export interface JQueryEvents {
  on(events: string, handler: () => void): unknown;
  off(events: string, handler: () => void): unknown;
}
export type JQueryLike = (target: Document) => JQueryEvents;
