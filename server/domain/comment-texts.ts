/**
 * The words around a mirrored comment: "Anna in Linear: …" in the deal (in the account's
 * language), "Ivan in Kommo: …" on the issue, and the prefix that makes a Kommo note a comment.
 */
import type { Language } from '../../shared/kommo';
import { clip, markdownToText } from './markdown-text';

interface CommentWords {
  inLinear(author: string): string;
  /** A reply in a Linear thread: the note says whom it answers, since Kommo notes have no threads. */
  replyInLinear(author: string, parentAuthor: string): string;
  someone: string;
}

const WORDS: Record<Language, CommentWords> = {
  en: { inLinear: (a) => `${a} in Linear`, replyInLinear: (a, p) => `${a} in Linear, replying to ${p}`, someone: 'Someone' },
  es: { inLinear: (a) => `${a} en Linear`, replyInLinear: (a, p) => `${a} en Linear, en respuesta a ${p}`, someone: 'Alguien' },
  pt: { inLinear: (a) => `${a} no Linear`, replyInLinear: (a, p) => `${a} no Linear, em resposta a ${p}`, someone: 'Alguém' },
  ru: { inLinear: (a) => `${a} в Linear`, replyInLinear: (a, p) => `${a} в Linear, в ответ ${p}`, someone: 'Кто-то' },
  tr: { inLinear: (a) => `${a} Linear'da`, replyInLinear: (a, p) => `${a} Linear'da, ${p} kişisine yanıt olarak`, someone: 'Biri' },
  id: { inLinear: (a) => `${a} di Linear`, replyInLinear: (a, p) => `${a} di Linear, membalas ${p}`, someone: 'Seseorang' },
};

export interface LinearCommentFacts {
  author: string | null;
  body: string;
  /** The author of the comment this one answers, when it is a reply (null: unknown author). */
  parentAuthor?: string | null;
  isReply: boolean;
}

/** The deal note for a Linear comment: who wrote it, whom it answers, the body as plain text. */
export function noteTextForComment(comment: LinearCommentFacts, language: Language): string {
  const words = WORDS[language];
  const author = comment.author?.trim() || words.someone;
  const head = comment.isReply ? words.replyInLinear(author, comment.parentAuthor?.trim() || words.someone) : words.inLinear(author);
  return clip(`${head}: ${markdownToText(comment.body)}`);
}

/** The Linear comment for a Kommo note (Markdown body; the note's text is shown as typed). */
export function commentBodyForNote(author: string, text: string): string {
  return `**${author} in Kommo:** ${text}`;
}

/** The note's text without the prefix when it starts with it (case-insensitive), else undefined. */
export function stripPrefix(text: string, prefix: string): string | undefined {
  const trimmed = text.trimStart();
  if (!prefix || trimmed.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
  const rest = trimmed.slice(prefix.length);
  // `#linearly` is a word, not the prefix.
  if (rest !== '' && !/^[\s:,.\-—]/.test(rest)) return undefined;
  const body = rest.replace(/^[\s:,.\-—]+/, '').trim();
  return body === '' ? undefined : body;
}
