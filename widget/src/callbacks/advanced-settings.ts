/**
 * Kommo's `advancedSettings` callback: the widget's own settings page (location
 * `advanced_settings`), drawn by settings.js into Kommo's `#work-area-<widget code>`.
 */
import { loadSettingsInto } from './load-settings';
import type { WidgetScope } from './scope';

export function advancedSettings(scope: WidgetScope): boolean {
  const workArea = scope.doc.getElementById(`work-area-${scope.host.widgetCode()}`);
  loadSettingsInto(scope, workArea, (module, element, env) => module.mountPage(element, env));
  return true;
}
