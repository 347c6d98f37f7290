/** Notes: which Linear events write a note into the deal, and the notes' language. */
import { SUPPORTED_LANGUAGES, type Language } from '../../../shared/kommo';
import type { SettingsInput } from '../../../shared/settings-api';
import { useSettingsUi } from './context';
import { Section, Select, Toggle } from './controls';
import type { SettingsForm } from './form';

type NoteKey = keyof SettingsInput['notes'];
const NOTES: Array<[NoteKey, 'note_created' | 'note_completed' | 'note_canceled' | 'note_reassigned' | 'note_deleted' | 'note_identifier']> = [
  ['created', 'note_created'],
  ['completed', 'note_completed'],
  ['canceled', 'note_canceled'],
  ['reassigned', 'note_reassigned'],
  ['deleted', 'note_deleted'],
  ['identifierChanged', 'note_identifier'],
];
/** Each language in its own name, as a language menu shows them. */
const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  pt: 'Português',
  ru: 'Русский',
  tr: 'Türkçe',
  id: 'Bahasa Indonesia',
};

export function NotesSection({ form }: { form: SettingsForm }) {
  const { t } = useSettingsUi();
  const { draft, errors, update } = form;
  const setLanguage = (value: string) =>
    update((d) => {
      const next = { ...d };
      const language = SUPPORTED_LANGUAGES.find((l) => l === value);
      if (language) next.language = language;
      else delete next.language;
      return next;
    });
  return (
    <Section id="notes" title={t('notes_title')}>
      <fieldset class="lfk-radios">
        <legend class="lfk-label">{t('notes_events')}</legend>
        {NOTES.map(([key, label]) => (
          <Toggle key={key} label={t(label)} checked={draft.notes[key]}
            onChange={(checked) => update((d) => ({ ...d, notes: { ...d.notes, [key]: checked } }))} />
        ))}
      </fieldset>
      <Select path="language" label={t('notes_language')} value={draft.language ?? ''} onChange={setLanguage} error={errors.language}
        options={[{ value: '', label: t('language_auto') }, ...SUPPORTED_LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))]} />
    </Section>
  );
}
