/** The settings page's strings (`settings_page` in widget/i18n/*.json), like the panel's. */
import type { Language } from '../../../shared/kommo';
import en from '../../i18n/en.json';
import es from '../../i18n/es.json';
import pt from '../../i18n/pt.json';
import ru from '../../i18n/ru.json';

export type PageKey = keyof typeof en.settings_page;
export type PageMessages = Record<PageKey, string>;
export type PageTranslate = (key: PageKey, params?: Record<string, string | number>) => string;

const PAGE_MESSAGES = {
  en: en.settings_page,
  es: es.settings_page,
  pt: pt.settings_page,
  ru: ru.settings_page,
} satisfies Record<Language, PageMessages>;

export function createPageTranslator(language: Language): PageTranslate {
  const messages: Partial<PageMessages> = PAGE_MESSAGES[language];
  return (key, params) => {
    const template = messages[key] ?? en.settings_page[key];
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(params?.[name] ?? whole));
  };
}
