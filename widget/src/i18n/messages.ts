/**
 * The one translator of the card and the settings page. The strings are the JSON files the zip
 * ships for Kommo (`widget/i18n/<locale>.json`: manifest keys, `panel` for the card, `settings_page`
 * for the settings page).
 */
import type { Language } from '../../../shared/kommo';
import en from '../../i18n/en.json';
import es from '../../i18n/es.json';
import id from '../../i18n/id.json';
import pt from '../../i18n/pt.json';
import ru from '../../i18n/ru.json';
import tr from '../../i18n/tr.json';

/** Keys of the card's strings; English defines the set. */
export type MessageKey = keyof typeof en.panel;
/** Keys of the settings page's strings. */
export type PageKey = keyof typeof en.settings_page;

/** Translates one key; `{name}` placeholders are replaced from `params`. */
export type Translator<K extends string> = (key: K, params?: Record<string, string | number>) => string;
export type Translate = Translator<MessageKey>;
export type PageTranslate = Translator<PageKey>;
type Tables<K extends string> = Record<Language, Record<K, string>>;

// Functions, not constants: webpack drops an unused function with what it reads, so script.js
// carries only `panel` and settings.js both groups. `satisfies` makes a locale that lacks a key a
// type error, not a blank label at runtime.
function panelTables() {
  return { en: en.panel, es: es.panel, pt: pt.panel, ru: ru.panel, tr: tr.panel, id: id.panel } satisfies Tables<MessageKey>;
}
function pageTables() {
  return {
    en: en.settings_page,
    es: es.settings_page,
    pt: pt.settings_page,
    ru: ru.settings_page,
    tr: tr.settings_page,
    id: id.settings_page,
  } satisfies Tables<PageKey>;
}

function translator<K extends string>(tables: Tables<K>, language: Language): Translator<K> {
  const messages: Partial<Record<K, string>> = tables[language];
  return (key, params) => {
    const template = messages[key] ?? tables.en[key];
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(params?.[name] ?? whole));
  };
}

/** The card's translator for a language; a key missing in a locale falls back to English. */
export function createTranslator(language: Language): Translate {
  return translator(panelTables(), language);
}

/** The settings page's translator for a language. */
export function createPageTranslator(language: Language): PageTranslate {
  return translator(pageTables(), language);
}
