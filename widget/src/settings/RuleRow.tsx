/**
 * One pipeline rule: which pipeline (or every other one) and which of its stages creates the
 * issue (Won unless chosen; the stage names Kommo's pipelines list), its name for the deal card,
 * and the Linear team, project, initial state (from the chosen team's states), labels and issue template.
 */
import { KOMMO_WON_STATUS_ID } from '../../../shared/kommo';
import type { SettingsInput, SettingsView } from '../../../shared/settings-api';
import { useSettingsUi } from './context';
import { controlId, Field, Select, TextInput } from './controls';
import { findChoice, type Errors } from './form';
import { byName, choiceOptions, selected, statesOf, teamKey, teamOf } from './options';
import { TemplatePicker } from './TemplatePicker';

type Rule = SettingsInput['rules'][number];

export interface RuleRowProps {
  index: number;
  rule: Rule;
  defaultTeam: string | undefined;
  view: SettingsView;
  errors: Errors;
  onChange: (rule: Rule) => void;
  onRemove: () => void;
}

/** `rule` with `key` set to `value`, or without it when `value` is empty. */
function withValue<K extends 'team' | 'project' | 'state'>(rule: Rule, key: K, value: string): Rule {
  const next = { ...rule };
  if (value) next[key] = value;
  else delete next[key];
  return next;
}

export function RuleRow({ index, rule, defaultTeam, view, errors, onChange, onRemove }: RuleRowProps) {
  const { t } = useSettingsUi();
  const { linear, kommo } = view;
  const path = (key: string) => `rules.${index}.${key}`;
  const team = teamOf(linear, rule.team ?? defaultTeam);
  const states = statesOf(linear, team?.id);

  const changeTeam = (value: string) => {
    const next = withValue(rule, 'team', value);
    const nextTeam = teamOf(linear, value || defaultTeam);
    // A state belongs to one team: keep it only if the new team has a state of that name.
    if (next.state && !findChoice(statesOf(linear, nextTeam?.id), next.state)) delete next.state;
    // So is a team template.
    const template = linear.templates?.find((x) => x.id === next.templateId);
    if (template && template.teamId !== null && template.teamId !== nextTeam?.id) delete next.templateId;
    onChange(next);
  };
  const changePipeline = (value: string) => {
    const next = { ...rule };
    if (value) next.pipelineId = Number(value);
    else delete next.pipelineId;
    // A stage belongs to one pipeline (Won is in every one).
    delete next.statusId;
    onChange(next);
  };
  const changeStage = (value: string) => {
    const next = { ...rule };
    if (value && Number(value) !== KOMMO_WON_STATUS_ID) next.statusId = Number(value);
    else delete next.statusId;
    onChange(next);
  };
  const changeTemplate = (templateId: string | undefined) => {
    const next = { ...rule };
    if (templateId) next.templateId = templateId;
    else delete next.templateId;
    onChange(next);
  };
  const changeName = (value: string) => {
    const next = { ...rule };
    if (value.trim()) next.name = value;
    else delete next.name;
    onChange(next);
  };
  const stages = (kommo.pipelines.find((p) => p.id === rule.pipelineId)?.stages ?? []).filter((st) => st.id !== KOMMO_WON_STATUS_ID);
  const stageOptions = [{ value: '', label: t('rule_stage_won') }, ...stages.map((st) => ({ value: String(st.id), label: st.name }))];
  if (rule.statusId !== undefined && !stages.some((st) => st.id === rule.statusId)) {
    stageOptions.push({ value: String(rule.statusId), label: t('value_missing', { value: rule.statusId }) });
  }

  const pipelineOptions = [
    { value: '', label: t('rule_other_pipelines') },
    ...kommo.pipelines.map((p) => ({ value: String(p.id), label: p.name })),
  ];
  if (rule.pipelineId !== undefined && !kommo.pipelines.some((p) => p.id === rule.pipelineId)) {
    pipelineOptions.push({ value: String(rule.pipelineId), label: t('value_missing', { value: rule.pipelineId }) });
  }
  const labelsId = controlId(path('labels'));
  const unknownLabels = rule.labels.filter((l) => !findChoice(linear.labels, l));

  return (
    <fieldset class="lfk-rule" data-testid={`rule-${index}`}>
      <legend>{t('rule_n', { n: index + 1 })}</legend>
      <div class="lfk-grid">
        <Select path={path('pipelineId')} label={t('rule_pipeline')} value={rule.pipelineId === undefined ? '' : String(rule.pipelineId)}
          options={pipelineOptions} onChange={changePipeline} error={errors[path('pipelineId')]} />
        <Select path={path('statusId')} label={t('rule_stage')} value={rule.statusId === undefined ? '' : String(rule.statusId)}
          options={stageOptions} onChange={changeStage} error={errors[path('statusId')]} />
        <TextInput path={path('name')} label={t('rule_name')} value={rule.name ?? ''} onInput={changeName} error={errors[path('name')]} />
        <Select path={path('team')} label={t('rule_team')} value={selected(linear.teams, rule.team, teamKey)}
          options={choiceOptions(linear.teams, rule.team, { value: '', label: t('rule_default_team') }, t, teamKey)}
          onChange={changeTeam} error={errors[path('team')]} />
        <Select path={path('project')} label={t('rule_project')} value={selected(linear.projects, rule.project)}
          options={choiceOptions(linear.projects, rule.project, { value: '', label: t('none') }, t)}
          onChange={(value) => onChange(withValue(rule, 'project', value))} error={errors[path('project')]} />
        <Select path={path('state')} label={t('rule_state')} value={selected(states, rule.state, byName)}
          options={choiceOptions(states, rule.state, { value: '', label: t('rule_default_state') }, t, byName)}
          onChange={(value) => onChange(withValue(rule, 'state', value))} error={errors[path('state')]} />
        <Field path={path('labels')} label={t('rule_labels')} error={errors[path('labels')]} hint={t('rule_labels_hint')}>
          {(aria) => (
            <select {...aria} id={labelsId} class="lfk-input lfk-multi" multiple size={Math.min(4, Math.max(2, linear.labels.length))}
              onChange={(event) => onChange({ ...rule, labels: [...unknownLabels, ...[...event.currentTarget.selectedOptions].map((o) => o.value)] })}>
              {linear.labels.map((label) => (
                <option key={label.id} value={label.id} selected={Boolean(rule.labels.some((l) => findChoice([label], l)))}>
                  {label.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TemplatePicker path={path('templateId')} teamId={team?.id} value={rule.templateId} templates={linear.templates}
          error={errors[path('templateId')]} onChange={changeTemplate} />
      </div>
      <button type="button" class="lfk-btn lfk-link lfk-danger" onClick={onRemove}>
        {t('rule_remove', { n: index + 1 })}
      </button>
    </fieldset>
  );
}
