/** What every settings component needs: the page's strings, error texts, the language. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language } from '../../../shared/kommo';
import type { BackendError } from '../api/backend-error';
import { createPageTranslator, createTranslator, type HostStrings, type PageTranslate, type StringGroup } from '../i18n/messages';
import { errorMessage } from '../ui/error-message';

export interface SettingsUi {
  t: PageTranslate;
  language: Language;
  /** A failed call in plain words; the server's own message for 4xx/5xx with a body. */
  errorText(error: BackendError): string;
}

/** `strings`: the host's groups for `language` (SettingsEnv.strings); none = English. */
export function createSettingsUi(language: Language, strings: (group: StringGroup) => HostStrings = () => undefined): SettingsUi {
  const panel = createTranslator(strings('panel'));
  return {
    t: createPageTranslator(strings('settings_page')),
    language,
    errorText: (error) => (error.kind === 'server' && error.status >= 400 && error.status < 500 ? error.message : errorMessage(error, panel)),
  };
}

export const SettingsUiContext = createContext<SettingsUi>(createSettingsUi('en'));

export function useSettingsUi(): SettingsUi {
  return useContext(SettingsUiContext);
}
