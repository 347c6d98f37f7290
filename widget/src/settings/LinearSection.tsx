/** Linear: the connection, the default team, and which pipelines create issues with which rule. */
import type { SettingsView } from '../../../shared/settings-api';
import type { SettingsBackend } from './api';
import { useSettingsUi } from './context';
import { Section, Select } from './controls';
import { removeAt, replaceAt, type SettingsForm } from './form';
import { LinearConnection } from './LinearConnection';
import { choiceOptions, connectionLine, selected, teamKey } from './options';
import { RuleRow } from './RuleRow';

export interface LinearSectionProps {
  form: SettingsForm;
  backend: SettingsBackend;
  readOnly: boolean;
  onReload: () => Promise<void>;
}

export function LinearSection({ form, backend, readOnly, onReload }: LinearSectionProps) {
  const { t } = useSettingsUi();
  const { view, draft, errors, update } = form;
  const { linear } = view;
  const setTeam = (value: string) =>
    update((d) => {
      const next = { ...d };
      if (value) next.team = value;
      else delete next.team;
      return next;
    });
  const setMode = (pipelines: 'all' | 'listed') => update((d) => ({ ...d, pipelines }));

  return (
    <Section id="linear" title={t('linear_title')}>
      {readOnly ? <Connected linear={linear} /> : <LinearConnection linear={linear} backend={backend} onChanged={onReload} />}
      <Select path="team" label={t('default_team')} value={selected(linear.teams, draft.team, teamKey)}
        options={choiceOptions(linear.teams, draft.team, { value: '', label: t('default_team_auto') }, t, teamKey)}
        onChange={setTeam} error={errors.team} hint={t('default_team_hint')} />
      <fieldset class="lfk-radios">
        <legend class="lfk-label">{t('pipelines_label')}</legend>
        {(['all', 'listed'] as const).map((mode) => (
          <label key={mode} class="lfk-check">
            <input type="radio" name="lfk-pipelines" value={mode} checked={draft.pipelines === mode} onChange={() => setMode(mode)} />
            {t(mode === 'all' ? 'pipelines_all' : 'pipelines_listed')}
          </label>
        ))}
      </fieldset>
      {draft.rules.length === 0 && <p class="lfk-muted">{t('rules_empty')}</p>}
      {draft.rules.map((rule, index) => (
        <RuleRow key={index} index={index} rule={rule} defaultTeam={draft.team} view={view} errors={errors}
          onChange={(next) => update((d) => ({ ...d, rules: replaceAt(d.rules, index, next) }))}
          onRemove={() => update((d) => ({ ...d, rules: removeAt(d.rules, index) }))} />
      ))}
      <button type="button" class="lfk-btn" onClick={() => update((d) => ({ ...d, rules: [...d.rules, { id: newRuleId(), labels: [] }] }))}>
        {t('rule_add')}
      </button>
    </Section>
  );
}

function Connected({ linear }: { linear: SettingsView['linear'] }) {
  const { t } = useSettingsUi();
  return <p>{connectionLine(linear, t)}</p>;
}

/** A new rule's id: its issues' link key on the server (`rule:<id>`), unique within the settings. */
function newRuleId(): string {
  return Math.random().toString(36).slice(2, 10) || 'r';
}
