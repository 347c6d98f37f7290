/**
 * Entry of `settings.js`: webpack wraps it as `define([], function () { return module; })`.
 * script.js loads it with Kommo's RequireJS only in the settings locations.
 */
import { h, render, type ComponentChild } from 'preact';
import { createSettingsBackend } from './api';
import { createSettingsUi, SettingsUiContext } from './context';
import type { SettingsEnv, SettingsModule } from './module';
import { SettingsPage } from './SettingsPage';
import { SettingsSummary } from './SettingsSummary';
import { ensureSettingsStyles } from './styles';

function mountInto(element: Element, env: SettingsEnv, child: ComponentChild): () => void {
  ensureSettingsStyles(element.ownerDocument);
  render(h(SettingsUiContext.Provider, { value: createSettingsUi(env.language, env.strings) }, child), element);
  return () => render(null, element);
}

const settingsModule: SettingsModule = {
  mountPage: (element, env) => mountInto(element, env, h(SettingsPage, { backend: createSettingsBackend(env.request, env.serverUrl) })),
  mountSummary: (element, env) =>
    mountInto(element, env, h(SettingsSummary, { backend: createSettingsBackend(env.request, env.serverUrl), pageUrl: env.pageUrl })),
};

export default settingsModule;
