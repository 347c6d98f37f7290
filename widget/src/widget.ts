/**
 * The Kommo widget object. Kommo calls it with `new` after adding its system methods (render_template,
 * get_settings, $authorizedAjax…) to the prototype, so it must be a plain constructor function, not
 * an ES class (shared/docs/platform-kommo.md §1.7). `render`, `init` and `bind_actions` return true,
 * otherwise Kommo stops calling the later callbacks.
 */
import { h, type ComponentChild } from 'preact';
import { createBackend } from './api/backend';
import { createKommoHost, type KommoHost } from './host/kommo-host';
import type { JQueryEvents, KommoApp, KommoSelf } from './host/kommo-types';
import type { MessageKey } from './i18n/messages';
import { mount, track, unmount, unmountAll } from './mount';
import { isSettingsModule, SETTINGS_FILE, type SettingsEnv, type SettingsModule } from './settings/module';
import { createUi, UiContext } from './ui/context';
import { Panel } from './ui/Panel';
import { SettingsNote } from './ui/SettingsNote';

export const BLOCK_CLASS = 'lfk-card-block';

export interface WidgetCallbacks {
  render(): boolean;
  init(): boolean;
  bind_actions(): boolean;
  settings(modal?: unknown): boolean;
  advancedSettings(): boolean;
  onSave(): boolean;
  destroy(): void;
}

export interface WidgetInstance extends KommoSelf {
  callbacks: WidgetCallbacks;
}

export type WidgetConstructor = new () => WidgetInstance;

/** The jQuery object for `modal`'s first DOM element (Kommo passes `$modal_body` to `settings`). */
function firstElement(modal: unknown): Element | null {
  const candidate = (modal as { 0?: unknown } | null)?.[0];
  return candidate instanceof Element ? candidate : null;
}

/** Builds the widget constructor around Kommo's jQuery (injected so tests can pass their own). */
export function createWidgetConstructor($: (target: Document) => JQueryEvents): WidgetConstructor {
  function LinearWidget(this: WidgetInstance): WidgetInstance {
    const doc = document;
    const host: KommoHost = createKommoHost(this, () => (window as { APP?: KommoApp }).APP, doc);
    const withUi = (child: ComponentChild) => h(UiContext.Provider, { value: createUi(host.language()) }, child);
    const note = (element: Element | null, message: MessageKey) => {
      if (element) mount(element, withUi(h(SettingsNote, { message })));
    };
    // Bumped on page:changed and destroy, so a settings.js that arrives late mounts nothing.
    let generation = 0;
    const onPageChanged = () => {
      generation += 1;
      unmountAll();
    };
    /** Shows "Loading…", loads settings.js, then lets it draw into `element`. */
    const settingsIn = (element: Element | null, draw: (module: SettingsModule, element: Element, env: SettingsEnv) => () => void) => {
      if (!element) return;
      const started = generation;
      note(element, 'settings_loading');
      const env: SettingsEnv = {
        request: host.authorizedRequest,
        serverUrl: host.serverUrl,
        language: host.language(),
        pageUrl: host.settingsUrl(),
      };
      host.loadModule(SETTINGS_FILE).then(
        (module) => {
          if (started !== generation) return;
          if (!isSettingsModule(module)) return note(element, 'settings_load_failed');
          unmount(element);
          track(element, draw(module, element, env));
        },
        (error: unknown) => {
          console.warn('[linear-for-kommo] settings.js did not load', error);
          if (started === generation) note(element, 'settings_load_failed');
        },
      );
    };

    this.callbacks = {
      render() {
        const leadId = host.leadId();
        if (host.area() !== 'lcard' || leadId === null) return true;
        unmountAll();
        const element = host.renderBlock(BLOCK_CLASS);
        if (!element) return true;
        const backend = createBackend(host.authorizedRequest, host.serverUrl);
        mount(element, withUi(h(Panel, { backend, leadId, settingsUrl: host.settingsUrl() })));
        return true;
      },
      init: () => true,
      bind_actions() {
        $(doc).off('page:changed', onPageChanged);
        $(doc).on('page:changed', onPageChanged);
        return true;
      },
      settings(modal) {
        const body = firstElement(modal);
        if (body) {
          const holder = doc.createElement('div');
          body.appendChild(holder);
          settingsIn(holder, (module, element, env) => module.mountSummary(element, env));
        }
        return true;
      },
      advancedSettings() {
        settingsIn(doc.getElementById(`work-area-${host.widgetCode()}`), (module, element, env) => module.mountPage(element, env));
        return true;
      },
      onSave: () => true,
      destroy() {
        $(doc).off('page:changed', onPageChanged);
        onPageChanged();
      },
    };
    return this;
  }
  return LinearWidget as unknown as WidgetConstructor;
}
