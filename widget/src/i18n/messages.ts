/**
 * The panel's strings in every language the product speaks. The JSON files are the same ones the
 * zip ships for Kommo (manifest keys live next to `panel`), so one file per locale holds everything.
 */
import type { Language } from '../../../shared/kommo';
import en from '../../i18n/en.json';
import es from '../../i18n/es.json';
import pt from '../../i18n/pt.json';
import ru from '../../i18n/ru.json';

/** Keys of the panel's strings; English defines the set. */
export type MessageKey = keyof typeof en.panel;
export type Messages = Record<MessageKey, string>;

/** `satisfies` makes a locale that lacks a key a type error, not a blank label at runtime. */
const PANEL_MESSAGES = {
  en: en.panel,
  es: es.panel,
  pt: pt.panel,
  ru: ru.panel,
} satisfies Record<Language, Messages>;

/** Translates one key; `{name}` placeholders are replaced from `params`. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Builds the translator for a language; keys missing in a locale fall back to English. */
export function createTranslator(language: Language): Translate {
  const messages: Partial<Messages> = PANEL_MESSAGES[language];
  return (key, params) => {
    const template = messages[key] ?? en.panel[key];
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(params?.[name] ?? whole));
  };
}
