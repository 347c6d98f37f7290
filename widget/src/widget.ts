/**
 * The Kommo widget object. Kommo calls it with `new` after adding its system methods
 * (render_template, get_settings, $authorizedAjax…) to the prototype, so it stays a plain
 * constructor function, not an ES class, as in Kommo's script.js template
 * (https://developers.kommo.com/docs/script-js). Each callback lives in its own file in `callbacks/`.
 */
import { advancedSettings } from './callbacks/advanced-settings';
import { bindActions } from './callbacks/bind-actions';
import { destroy } from './callbacks/destroy';
import { dpSettings } from './callbacks/dp-settings';
import { init } from './callbacks/init';
import { onSave } from './callbacks/on-save';
import { render } from './callbacks/render';
import { createWidgetScope } from './callbacks/scope';
import { settings } from './callbacks/settings';
import type { JQueryLike, KommoSelf } from './host/kommo-types';

export { BLOCK_CLASS } from './callbacks/render';

export interface WidgetCallbacks {
  render(): boolean;
  init(): boolean;
  bind_actions(): boolean;
  settings(modal?: unknown): boolean;
  advancedSettings(): boolean;
  /** The settings form of the Digital Pipeline action (location `digital_pipeline`). */
  dpSettings(): boolean;
  onSave(): boolean;
  destroy(): void;
}

export interface WidgetInstance extends KommoSelf {
  callbacks: WidgetCallbacks;
}

export type WidgetConstructor = new () => WidgetInstance;

/** Builds the widget constructor around Kommo's jQuery (injected so tests can pass their own). */
export function createWidgetConstructor($: JQueryLike): WidgetConstructor {
  function LinearWidget(this: WidgetInstance): WidgetInstance {
    const scope = createWidgetScope(this, $, document);
    this.callbacks = {
      render: () => render(scope),
      init,
      bind_actions: () => bindActions(scope),
      settings: (modal) => settings(scope, modal),
      advancedSettings: () => advancedSettings(scope),
      dpSettings: () => dpSettings(scope),
      onSave,
      destroy: () => destroy(scope),
    };
    return this;
  }
  return LinearWidget as unknown as WidgetConstructor;
}
