/** Texts written into Kommo deal notes, in the account's language (English fallback). */
import type { Language } from '../../shared/kommo';

type Texts = {
  created: (identifier: string, url: string) => string;
};

const TEXTS: Record<Language, Texts> = {
  en: { created: (id, url) => `Linear task created: ${id}. Link: ${url}` },
  es: { created: (id, url) => `Tarea de Linear creada: ${id}. Enlace: ${url}` },
  pt: { created: (id, url) => `Tarefa do Linear criada: ${id}. Link: ${url}` },
  ru: { created: (id, url) => `Задача в Linear создана: ${id}. Ссылка: ${url}` },
};

export function noteTexts(language: Language): Texts {
  return TEXTS[language];
}
