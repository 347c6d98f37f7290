/** What every settings component needs: the page's strings, error texts, the language. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language } from '../../../shared/kommo';
import type { BackendError } from '../api/backend-error';
import { createPageTranslator, createTranslator, type PageTranslate } from '../i18n/messages';
import { errorMessage } from '../ui/error-message';

export interface SettingsUi {
  t: PageTranslate;
  language: Language;
  /** A failed call in plain words; the server's own message for 4xx/5xx with a body. */
  errorText(error: BackendError): string;
}

export function createSettingsUi(language: Language): SettingsUi {
  const panel = createTranslator(language);
  return {
    t: createPageTranslator(language),
    language,
    errorText: (error) => (error.kind === 'server' && error.status >= 400 && error.status < 500 ? error.message : errorMessage(error, panel)),
  };
}

export const SettingsUiContext = createContext<SettingsUi>(createSettingsUi('en'));

export function useSettingsUi(): SettingsUi {
  return useContext(SettingsUiContext);
}
