/**
 * Shows "Loading…" in an element, loads settings.js (a second AMD file of the package) and lets it
 * draw there; a settings.js that fails says so, one that arrives after the page changed mounts
 * nothing. Used by the `settings` and `advancedSettings` callbacks.
 */
import { h } from 'preact';
import type { MessageKey } from '../i18n/messages';
import { mount, track, unmount } from '../mount';
import { isSettingsModule, SETTINGS_FILE, type SettingsEnv, type SettingsModule } from '../settings/module';
import { SettingsNote } from '../ui/SettingsNote';
import type { WidgetScope } from './scope';

export type DrawSettings = (module: SettingsModule, element: Element, env: SettingsEnv) => () => void;

export function loadSettingsInto(scope: WidgetScope, element: Element | null, draw: DrawSettings): void {
  if (!element) return;
  const { host } = scope;
  const note = (message: MessageKey) => mount(element, scope.withUi(h(SettingsNote, { message })));
  const started = scope.generation();
  note('settings_loading');
  const env: SettingsEnv = {
    request: host.authorizedRequest,
    serverUrl: host.serverUrl,
    language: host.language(),
    strings: host.strings,
    pageUrl: host.settingsUrl(),
  };
  host.loadModule(SETTINGS_FILE).then(
    (module) => {
      if (started !== scope.generation()) return;
      if (!isSettingsModule(module)) return note('settings_load_failed');
      unmount(element);
      track(element, draw(module, element, env));
    },
    (error: unknown) => {
      console.warn('[linear-for-kommo] settings.js did not load', error);
      if (started === scope.generation()) note('settings_load_failed');
    },
  );
}
