/**
 * Every language the product speaks is complete everywhere it shows up: the widget's locale files
 * (manifest keys, the card's `panel`, the settings page's `settings_page`), the manifest's
 * `locale` list, and the notes the server writes into Kommo. Every key present, none empty, the
 * same `{placeholders}` as English, and translated rather than copied.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUPPORTED_LANGUAGES } from '../../shared/kommo';
import { noteTexts, type NoteTexts } from '../../server/domain/note-texts';

const root = join(__dirname, '../..');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));

/** Dotted key → value of a nested i18n object. */
function entries(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof value !== 'object' || value === null) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, inner]) => entries(inner, prefix ? `${prefix}.${key}` : key));
}
const placeholders = (text: unknown) => (typeof text === 'string' ? (text.match(/\{\w+\}/g) ?? []).sort() : []);

/** Names and loanwords that read the same in English (Linear, Webhooks, Tag, Pipeline). */
const SAME_AS_ENGLISH = new Set(['widget.name', 'advanced.title', 'settings_page.linear_title', 'settings_page.webhooks_title', 'settings_page.tag_label', 'settings_page.rule_pipeline']);

const english = new Map(entries(readJson('widget/i18n/en.json')));
const others = SUPPORTED_LANGUAGES.filter((language) => language !== 'en');

describe('locales', () => {
  it('are the languages the manifest declares, Kommo’s five and ru for amoCRM accounts', () => {
    const manifest = readJson('manifest.json') as { widget: { locale: string[] } };
    expect([...manifest.widget.locale].sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
    expect([...SUPPORTED_LANGUAGES].sort()).toEqual(['en', 'es', 'id', 'pt', 'ru', 'tr']);
    for (const language of SUPPORTED_LANGUAGES) expect(existsSync(join(root, `widget/i18n/${language}.json`))).toBe(true);
  });

  it('English has the manifest keys, the card and the settings page', () => {
    const keys = [...english.keys()];
    expect(keys).toEqual(expect.arrayContaining(['widget.name', 'widget.description', 'widget.short_description', 'settings.server_url', 'advanced.title']));
    expect(keys.filter((key) => key.startsWith('panel.')).length).toBeGreaterThan(40);
    expect(keys.filter((key) => key.startsWith('settings_page.')).length).toBeGreaterThan(100);
  });

  it.each(SUPPORTED_LANGUAGES)('%s.json has every key of en.json and no other, none empty, same placeholders', (language) => {
    const messages = new Map(entries(readJson(`widget/i18n/${language}.json`)));
    expect([...messages.keys()].sort()).toEqual([...english.keys()].sort());
    const empty = [...messages].filter(([, text]) => typeof text !== 'string' || text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
    const mismatched = [...english].filter(([key, text]) => placeholders(messages.get(key)).join() !== placeholders(text).join()).map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it.each(others)('%s.json is translated, not a copy of English', (language) => {
    const messages = new Map(entries(readJson(`widget/i18n/${language}.json`)));
    const copied = [...english].filter(([key, text]) => messages.get(key) === text && !SAME_AS_ENGLISH.has(key)).map(([key]) => key);
    expect(copied).toEqual([]);
  });
});

describe('notes written into Kommo', () => {
  /** Every note of a language, filled with recognisable values. */
  const samples = (texts: NoteTexts) => ({
    created: texts.created('ENG-42', 'https://linear.app/acme/issue/ENG-42'),
    completed: texts.completed('ENG-42', 'Dana'),
    completedNobody: texts.completed('ENG-42', null),
    canceled: texts.canceled('ENG-42', false),
    duplicate: texts.canceled('ENG-42', true),
    assigned: texts.assigned('ENG-42', 'Dana'),
    unassigned: texts.assigned('ENG-42', null),
    moved: texts.moved('ENG-41', 'ENG-42'),
    deleted: texts.deleted('ENG-42'),
  });
  const inEnglish = samples(noteTexts('en'));

  it.each(SUPPORTED_LANGUAGES)('%s has every note, each naming the issue and what changed', (language) => {
    const notes = samples(noteTexts(language));
    expect(Object.keys(noteTexts(language)).sort()).toEqual(Object.keys(noteTexts('en')).sort());
    for (const text of Object.values(notes)) expect(text).toContain('ENG-42');
    expect(notes.created).toContain('https://linear.app/acme/issue/ENG-42');
    expect(notes.completed).toContain('Dana');
    expect(notes.assigned).toContain('Dana');
    expect(notes.moved).toContain('ENG-41');
    expect(notes.duplicate).not.toBe(notes.canceled);
    expect(notes.unassigned).not.toBe(notes.assigned);
  });

  it.each(others)('%s notes are translated, not English', (language) => {
    const notes = samples(noteTexts(language));
    const english = new Map(Object.entries(inEnglish));
    const copied = Object.entries(notes).filter(([key, text]) => english.get(key) === text);
    expect(copied).toEqual([]);
  });
});
