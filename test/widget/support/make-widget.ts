/**
 * The widget as Kommo builds it, in jsdom: the constructor around a minimal jQuery (document-level
 * on/off/trigger), a stub `self` on its prototype, then `new`; and Kommo's RequireJS serving
 * settings.js from the widget source.
 */
import type { JQueryEvents } from '../../../widget/src/host/kommo-types';
import settingsModule from '../../../widget/src/settings/index';
import { createWidgetConstructor, type WidgetInstance } from '../../../widget/src/widget';
import { lead, link } from './fixtures';
import { stubSelfPrototype, type StubSelfOptions } from './stub-self';

function fakeJQuery() {
  const handlers = new Map<string, Set<() => void>>();
  const events: JQueryEvents = {
    on: (name, handler) => handlers.set(name, (handlers.get(name) ?? new Set()).add(handler)),
    off: (name, handler) => handlers.get(name)?.delete(handler),
  };
  return { $: () => events, trigger: (name: string) => handlers.get(name)?.forEach((handler) => handler()) };
}

/** `area` and `answer` as in Kommo; `self` adds the locale (`language`, `langs`) to serve. */
export function makeWidget(
  area = 'lcard',
  answer?: StubSelfOptions['answer'],
  self: Pick<StubSelfOptions, 'language' | 'langs'> = {},
): { widget: WidgetInstance; trigger: (name: string) => void } {
  const jq = fakeJQuery();
  const Widget = createWidgetConstructor(jq.$);
  const proto = stubSelfPrototype({
    ...self,
    area,
    settings: { server_url: 'https://backend.test/', widget_code: 'lfk', path: '/widgets/lfk', version: '0.1.0' },
    answer: answer ?? (() => ({ ok: true, status: 200, data: lead({ links: [link()] }) })),
  });
  Object.assign(Widget.prototype, proto);
  return { widget: new Widget(), trigger: jq.trigger };
}

export type AmdRequire = (deps: string[], onLoad: (module: unknown) => void, onError: (error: unknown) => void) => void;
/** The page's globals the widget reads: Kommo's APP and RequireJS. */
export const win = window as unknown as { APP?: unknown; require?: AmdRequire };

/** Kommo's RequireJS, serving settings.js from the widget source. */
export function fakeRequire(loaded: string[], module: unknown = settingsModule): AmdRequire {
  return (deps, onLoad) => {
    loaded.push(...deps);
    setTimeout(() => onLoad(module), 0);
  };
}
