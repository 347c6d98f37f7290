/**
 * A stand-in for what Kommo adds to the widget's prototype, and a scripted `$authorizedAjax`
 * built on a tiny Deferred (done/fail), as documented in widget/README.md.
 */
import type { AjaxOptions, DeferredLike, KommoSelf, WidgetSettings, XhrLike } from '../../../widget/src/host/kommo-types';

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

/** A prototype object with Kommo's system methods; `answer` decides each ajax result. */
export function stubSelfPrototype(
  options: { area?: string; settings?: WidgetSettings; answer?: (options: AjaxOptions) => AjaxAnswer; doc?: Document } = {},
): StubSelf {
  const ajaxCalls: AjaxOptions[] = [];
  return {
    ajaxCalls,
    render_template({ caption, body }) {
      const doc = options.doc ?? document;
      const block = doc.createElement('div');
      block.className = caption.class_name;
      block.innerHTML = body;
      doc.body.appendChild(block);
    },
    get_settings: () => options.settings ?? { server_url: 'https://backend.test/', widget_code: 'lfk' },
    system: () => ({ area: options.area ?? 'lcard' }),
    i18n: () => undefined,
    $authorizedAjax(ajax) {
      ajaxCalls.push(ajax);
      return settledDeferred(options.answer?.(ajax) ?? { ok: false, xhr: { status: 0 }, textStatus: 'error' });
    },
  };
}
