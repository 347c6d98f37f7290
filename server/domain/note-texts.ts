/** Texts written into Kommo deal notes, in the account's language (English fallback). */
import type { Language } from '../../shared/kommo';

export interface NoteTexts {
  created(identifier: string, url: string): string;
  completed(identifier: string, assignee: string | null): string;
  canceled(identifier: string, duplicate: boolean): string;
  assigned(identifier: string, assignee: string | null): string;
  moved(previous: string, identifier: string): string;
  deleted(identifier: string): string;
}

const TEXTS: Record<Language, NoteTexts> = {
  en: {
    created: (id, url) => `Linear task created: ${id}. Link: ${url}`,
    completed: (id, who) => `Task ${id} closed in Linear. Assignee: ${who ?? 'nobody'}.`,
    canceled: (id, dup) => (dup ? `Task ${id} canceled in Linear as a duplicate.` : `Task ${id} canceled in Linear.`),
    assigned: (id, who) => (who ? `Task ${id} assigned to ${who}.` : `Task ${id} unassigned.`),
    moved: (prev, id) => `Task ${prev} moved in Linear; it is now ${id}.`,
    deleted: (id) => `Task ${id} was deleted in Linear.`,
  },
  es: {
    created: (id, url) => `Tarea de Linear creada: ${id}. Enlace: ${url}`,
    completed: (id, who) => `Tarea ${id} cerrada en Linear. Responsable: ${who ?? 'nadie'}.`,
    canceled: (id, dup) => (dup ? `Tarea ${id} cancelada en Linear por duplicada.` : `Tarea ${id} cancelada en Linear.`),
    assigned: (id, who) => (who ? `Tarea ${id} asignada a ${who}.` : `Tarea ${id} sin responsable.`),
    moved: (prev, id) => `Tarea ${prev} movida en Linear; ahora es ${id}.`,
    deleted: (id) => `Tarea ${id} eliminada en Linear.`,
  },
  pt: {
    created: (id, url) => `Tarefa do Linear criada: ${id}. Link: ${url}`,
    completed: (id, who) => `Tarefa ${id} concluída no Linear. Responsável: ${who ?? 'ninguém'}.`,
    canceled: (id, dup) => (dup ? `Tarefa ${id} cancelada no Linear como duplicada.` : `Tarefa ${id} cancelada no Linear.`),
    assigned: (id, who) => (who ? `Tarefa ${id} atribuída a ${who}.` : `Tarefa ${id} sem responsável.`),
    moved: (prev, id) => `Tarefa ${prev} movida no Linear; agora é ${id}.`,
    deleted: (id) => `Tarefa ${id} excluída no Linear.`,
  },
  ru: {
    created: (id, url) => `Задача в Linear создана: ${id}. Ссылка: ${url}`,
    completed: (id, who) => `Задача ${id} закрыта в Linear. Исполнитель: ${who ?? 'не назначен'}.`,
    canceled: (id, dup) => (dup ? `Задача ${id} отменена в Linear как дубликат.` : `Задача ${id} отменена в Linear.`),
    assigned: (id, who) => (who ? `Задача ${id} назначена на ${who}.` : `С задачи ${id} снят исполнитель.`),
    moved: (prev, id) => `Задача ${prev} перенесена в Linear; теперь это ${id}.`,
    deleted: (id) => `Задача ${id} удалена в Linear.`,
  },
  tr: {
    created: (id, url) => `Linear görevi oluşturuldu: ${id}. Bağlantı: ${url}`,
    completed: (id, who) => `${id} görevi Linear'da kapatıldı. Sorumlu: ${who ?? 'yok'}.`,
    canceled: (id, dup) => (dup ? `${id} görevi Linear'da kopya olarak iptal edildi.` : `${id} görevi Linear'da iptal edildi.`),
    assigned: (id, who) => (who ? `${id} görevi ${who} kişisine atandı.` : `${id} görevinin sorumlusu kaldırıldı.`),
    moved: (prev, id) => `${prev} görevi Linear'da taşındı; artık ${id}.`,
    deleted: (id) => `${id} görevi Linear'da silindi.`,
  },
  id: {
    created: (id, url) => `Tugas Linear dibuat: ${id}. Tautan: ${url}`,
    completed: (id, who) => `Tugas ${id} ditutup di Linear. Penanggung jawab: ${who ?? 'tidak ada'}.`,
    canceled: (id, dup) => (dup ? `Tugas ${id} dibatalkan di Linear sebagai duplikat.` : `Tugas ${id} dibatalkan di Linear.`),
    assigned: (id, who) => (who ? `Tugas ${id} ditugaskan ke ${who}.` : `Penanggung jawab tugas ${id} dihapus.`),
    moved: (prev, id) => `Tugas ${prev} dipindahkan di Linear; sekarang menjadi ${id}.`,
    deleted: (id) => `Tugas ${id} dihapus di Linear.`,
  },
};

export function noteTexts(language: Language): NoteTexts {
  return TEXTS[language];
}
