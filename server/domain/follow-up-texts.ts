/** The text of the Kommo task a manager gets when a linked issue reaches an outcome. */
import type { Language } from '../../shared/kommo';

export type Outcome = 'completed' | 'canceled';

type TaskText = (identifier: string, title: string, outcome: Outcome) => string;

const TEXTS: Record<Language, TaskText> = {
  en: (id, title, o) => `Call the client: ${id} ${title} ${o === 'completed' ? 'is done' : 'was canceled'}`,
  es: (id, title, o) => `Llamar al cliente: ${id} ${title} ${o === 'completed' ? 'está terminada' : 'fue cancelada'}`,
  pt: (id, title, o) => `Ligar para o cliente: ${id} ${title} ${o === 'completed' ? 'foi concluída' : 'foi cancelada'}`,
  ru: (id, title, o) => `Позвонить клиенту: ${id} ${title} ${o === 'completed' ? '— готово' : '— отменено'}`,
  tr: (id, title, o) => `Müşteriyi arayın: ${id} ${title} ${o === 'completed' ? 'tamamlandı' : 'iptal edildi'}`,
  id: (id, title, o) => `Hubungi klien: ${id} ${title} ${o === 'completed' ? 'sudah selesai' : 'dibatalkan'}`,
};

export function taskText(language: Language, identifier: string, title: string, outcome: Outcome): string {
  return TEXTS[language](identifier, title, outcome).trim();
}
