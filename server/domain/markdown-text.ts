/**
 * Linear comments are Markdown; a Kommo note is plain text (Kommo shows it as typed). This keeps
 * what a reader needs, the words, list structure and link targets, and drops the markup.
 * Not a full CommonMark parser: comments are short and the output is only read by people.
 */

/** Longest note text we write; Kommo rejects notes over 20,000 characters with 400 TooLong. */
export const MAX_NOTE_CHARS = 20_000;

function inline(line: string): string {
  return (
    line
      // Images and links: the label, then the address when it says more than the label.
      .replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, alt: string, url: string) => (alt ? `${alt} (${url})` : url))
      .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, label: string, url: string) => (label === url ? url : `${label} (${url})`))
      .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, '$1$2')
      .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
      .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, '$1')
  );
}

export function markdownToText(markdown: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      out.push(raw);
      continue;
    }
    let line = raw.replace(/\s+$/, '');
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push('—');
      continue;
    }
    line = line
      .replace(/^\s{0,3}#{1,6}\s+/, '')
      .replace(/\s+#+$/, '')
      .replace(/^(\s*)>\s?/, '$1')
      .replace(/^(\s*)[-*+]\s+\[( |x|X)\]\s+/, (_m, indent: string, mark: string) => `${indent}${mark === ' ' ? '☐' : '☑'} `)
      .replace(/^(\s*)[-*+]\s+/, '$1• ');
    out.push(inline(line));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Cuts at `max` characters, marking the cut, so a long comment still makes a note. */
export function clip(text: string, max = MAX_NOTE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
