/**
 * The one translator of the card and the settings page. The strings are the JSON files the zip
 * ships (`widget/i18n/<locale>.json`: manifest keys, `panel` for the card, `settings_page` for the
 * settings page). Kommo serves the current user's file to the widget (`self.i18n(key)`, which
 * returns a string or a sub-object, and `self.langs`: https://developers.kommo.com/docs/i18n,
 * https://developers.kommo.com/docs/script-js), so only English is bundled: the fallback for a key
 * the host's file lacks, and for a host that serves no strings at all.
 */
import en from '../../i18n/en.json';

/** Keys of the card's strings; English defines the set. */
export type MessageKey = keyof typeof en.panel;
/** Keys of the settings page's strings. */
export type PageKey = keyof typeof en.settings_page;
/** The groups of UI strings in a locale file. */
export type StringGroup = 'panel' | 'settings_page';

/**
 * One group of the host's strings for the user's language, as Kommo returns it (`self.i18n(group)`):
 * unknown until read key by key; anything but a non-empty string counts as missing.
 */
export type HostStrings = unknown;

/** Translates one key; `{name}` placeholders are replaced from `params`. */
export type Translator<K extends string> = (key: K, params?: Record<string, string | number>) => string;
export type Translate = Translator<MessageKey>;
export type PageTranslate = Translator<PageKey>;

function translator<K extends string>(english: Record<K, string>, host: HostStrings): Translator<K> {
  const own: Partial<Record<K, unknown>> = typeof host === 'object' && host !== null ? host : {};
  return (key, params) => {
    const value = own[key];
    const template = typeof value === 'string' && value !== '' ? value : english[key];
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(params?.[name] ?? whole));
  };
}

// `en.panel` and `en.settings_page` are read inside functions so that webpack, which drops an
// unused function with what it reads, leaves `settings_page` out of script.js.

/** The card's translator: the host's `panel` strings, English for a key they lack. */
export function createTranslator(host?: HostStrings): Translate {
  return translator(en.panel, host);
}

/** The settings page's translator: the host's `settings_page` strings, English for a key they lack. */
export function createPageTranslator(host?: HostStrings): PageTranslate {
  return translator(en.settings_page, host);
}
