/**
 * A stand-in for what Kommo adds to the widget's prototype, and a scripted `$authorizedAjax`
 * built on a tiny Deferred (done/fail), as documented in widget/README.md. Like Kommo, it hands
 * the widget the package's locale file for the user's language as `self.langs` and `self.i18n`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AjaxOptions, DeferredLike, KommoSelf, WidgetSettings, XhrLike } from '../../../widget/src/host/kommo-types';

const I18N_DIR = join(__dirname, '../../../widget/i18n');

/** The widget's `i18n/<language>.json`, what Kommo serves; the English file for a language without one. */
export function localeFile(language: string): Record<string, unknown> {
  const file = join(I18N_DIR, `${language}.json`);
  return JSON.parse(readFileSync(existsSync(file) ? file : join(I18N_DIR, 'en.json'), 'utf8')) as Record<string, unknown>;
}

/** `self.i18n(key)`: a dotted path into the file, a string or a sub-object; undefined when missing. */
export function lookup(langs: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), langs);
}

export type AjaxAnswer = { ok: true; status: number; data: unknown } | { ok: false; xhr: XhrLike; textStatus: string };

function settledDeferred(answer: AjaxAnswer): DeferredLike {
  const deferred: DeferredLike = {
    done(callback) {
      if (answer.ok) queueMicrotask(() => callback(answer.data, 'success', { status: answer.status }));
      return deferred;
    },
    fail(callback) {
      if (!answer.ok) queueMicrotask(() => callback(answer.xhr, answer.textStatus, ''));
      return deferred;
    },
  };
  return deferred;
}

export interface StubSelf extends KommoSelf {
  ajaxCalls: AjaxOptions[];
}

export interface StubSelfOptions {
  area?: string;
  settings?: WidgetSettings;
  answer?: (options: AjaxOptions) => AjaxAnswer;
  doc?: Document;
  /** The user's language, whose locale file is served (default `en`). */
  language?: string;
  /** The locale data to serve instead of the file; `null` = a host without i18n. */
  langs?: Record<string, unknown> | null;
}

/** A prototype object with Kommo's system methods; `answer` decides each ajax result. */
export function stubSelfPrototype(options: StubSelfOptions = {}): StubSelf {
  const ajaxCalls: AjaxOptions[] = [];
  const langs = options.langs === undefined ? localeFile(options.language ?? 'en') : options.langs;
  return {
    ajaxCalls,
    ...(langs === null ? {} : { langs, i18n: (key: string) => lookup(langs, key) }),
    render_template({ caption, body }) {
      const doc = options.doc ?? document;
      const block = doc.createElement('div');
      block.className = caption.class_name;
      block.innerHTML = body;
      doc.body.appendChild(block);
    },
    get_settings: () => options.settings ?? { server_url: 'https://backend.test/', widget_code: 'lfk' },
    system: () => ({ area: options.area ?? 'lcard' }),
    $authorizedAjax(ajax) {
      ajaxCalls.push(ajax);
      return settledDeferred(options.answer?.(ajax) ?? { ok: false, xhr: { status: 0 }, textStatus: 'error' });
    },
  };
}
