/**
 * Fields: which Kommo lead fields hold the spec, the deadline and the Linear issue (saved by
 * name; the issue field is created when missing), tag → priority rules and the default priority.
 */
import type { SettingsInput } from '../../../shared/settings-api';
import { useSettingsUi } from './context';
import { Section, Select, TextInput, type Option } from './controls';
import { removeAt, replaceAt, type SettingsForm } from './form';
import { choiceOptions, selected, byName } from './options';

type FieldKey = keyof SettingsInput['fields'];
const FIELDS: Array<[FieldKey, 'field_spec' | 'field_deadline' | 'field_issue']> = [
  ['spec', 'field_spec'],
  ['deadline', 'field_deadline'],
  ['issue', 'field_issue'],
];

const PRIORITIES = ['priority_0', 'priority_1', 'priority_2', 'priority_3', 'priority_4'] as const;

export function FieldsSection({ form }: { form: SettingsForm }) {
  const { t } = useSettingsUi();
  const { view, draft, errors, update } = form;
  const fields = view.kommo.leadFields.map((f) => ({ id: String(f.id), name: f.name }));
  const priorities: Option[] = PRIORITIES.map((key, p) => ({ value: String(p), label: t(key) }));
  const setField = (key: FieldKey, value: string) => update((d) => ({ ...d, fields: { ...d.fields, [key]: value } }));
  const tags = draft.priorityTags;
  const setTag = (index: number, tag: SettingsInput['priorityTags'][number]) =>
    update((d) => ({ ...d, priorityTags: replaceAt(d.priorityTags, index, tag) }));

  return (
    <Section id="fields" title={t('fields_title')}>
      <div class="lfk-grid">
        {FIELDS.map(([key, label]) => (
          <Select key={key} path={`fields.${key}`} label={t(label)} value={selected(fields, draft.fields[key], byName)}
            options={choiceOptions(fields, draft.fields[key], null, t, byName, key === 'issue' ? 'value_created' : 'value_missing')}
            onChange={(value) => setField(key, value)} error={errors[`fields.${key}`]}
            hint={key === 'issue' ? t('field_issue_hint') : undefined} />
        ))}
      </div>
      <h3 class="lfk-h3">{t('tags_title')}</h3>
      {tags.length === 0 && <p class="lfk-muted">{t('tags_empty')}</p>}
      {tags.map((rule, index) => (
        <div key={index} class="lfk-grid lfk-tag-row" data-testid={`tag-rule-${index}`}>
          <TextInput path={`priorityTags.${index}.tag`} label={t('tag_label')} value={rule.tag}
            onInput={(tag) => setTag(index, { ...rule, tag })} error={errors[`priorityTags.${index}.tag`]} />
          <Select path={`priorityTags.${index}.priority`} label={t('tag_priority')} value={String(rule.priority)} options={priorities}
            onChange={(value) => setTag(index, { ...rule, priority: Number(value) })} error={errors[`priorityTags.${index}.priority`]} />
          <button type="button" class="lfk-btn lfk-link lfk-danger" aria-label={t('tag_remove_n', { n: index + 1 })}
            onClick={() => update((d) => ({ ...d, priorityTags: removeAt(d.priorityTags, index) }))}>
            {t('remove')}
          </button>
        </div>
      ))}
      <button type="button" class="lfk-btn" onClick={() => update((d) => ({ ...d, priorityTags: [...d.priorityTags, { tag: '', priority: 2 }] }))}>
        {t('tag_add')}
      </button>
      <Select path="defaultPriority" label={t('default_priority')} value={String(draft.defaultPriority)} options={priorities}
        onChange={(value) => update((d) => ({ ...d, defaultPriority: Number(value) }))} error={errors.defaultPriority} />
    </Section>
  );
}
