/**
 * The contract between script.js and settings.js (a second AMD file loaded only in the settings
 * locations, so the card's script stays within its size budget). Types only: each file bundles
 * its own Preact, so each mounts and unmounts its own roots.
 */
import type { Language } from '../../../shared/kommo';
import type { Transport } from '../api/call';
import type { HostStrings, StringGroup } from '../i18n/messages';

export interface SettingsEnv {
  request: Transport;
  serverUrl: () => string;
  language: Language;
  /** Kommo's strings for the user's language by group (KommoHost.strings); settings.js bundles only English. */
  strings: (group: StringGroup) => HostStrings;
  /** Kommo's URL of the full settings page, for the modal's link. */
  pageUrl: string;
}

export interface SettingsModule {
  /** The full page (`advanced_settings`); returns the unmount function. */
  mountPage(element: Element, env: SettingsEnv): () => void;
  /** The connection line and a link to the page, in the `settings` modal. */
  mountSummary(element: Element, env: SettingsEnv): () => void;
}

export const SETTINGS_FILE = 'settings.js';

export function isSettingsModule(value: unknown): value is SettingsModule {
  const candidate = value as Partial<SettingsModule> | null;
  return typeof candidate?.mountPage === 'function' && typeof candidate.mountSummary === 'function';
}
