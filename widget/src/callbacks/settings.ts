/**
 * Kommo's `settings($modal_body)` callback: the widget's settings modal. Below the manifest's
 * fields it adds the connection line and a link to the full settings page (from settings.js).
 */
import { loadSettingsInto } from './load-settings';
import type { WidgetScope } from './scope';

/** The first DOM element of the jQuery object Kommo passes. */
function firstElement(modal: unknown): Element | null {
  const candidate = (modal as { 0?: unknown } | null)?.[0];
  return candidate instanceof Element ? candidate : null;
}

export function settings(scope: WidgetScope, modal: unknown): boolean {
  const body = firstElement(modal);
  if (body) {
    const holder = scope.doc.createElement('div');
    body.appendChild(holder);
    loadSettingsInto(scope, holder, (module, element, env) => module.mountSummary(element, env));
  }
  return true;
}
