/** Follow-up: what a completed or canceled issue brings the deal (a task for the manager, a stage move). */
import type { FollowUpInput, SettingsInput } from '../../../shared/settings-api';
import { useSettingsUi } from './context';
import { Section, Select, TextInput, Toggle } from './controls';
import type { SettingsForm } from './form';

type Outcome = 'completed' | 'canceled';
/** The server's defaults (server/domain/settings.ts), for settings saved before the option existed. */
const DEFAULT: FollowUpInput = { task: false, dueInWorkingHours: 4, taskTypeId: 1 };
const BUILTIN_TYPES = [1, 2];

function followUpOf(draft: SettingsInput, outcome: Outcome): FollowUpInput {
  return draft.followUp?.[outcome] ?? DEFAULT;
}

export function FollowUpSection({ form }: { form: SettingsForm }) {
  const { t } = useSettingsUi();
  const { draft, errors, update, view } = form;
  const set = (outcome: Outcome, change: (f: FollowUpInput) => FollowUpInput) =>
    update((d) => {
      const both = { completed: followUpOf(d, 'completed'), canceled: followUpOf(d, 'canceled') };
      return { ...d, followUp: { ...both, [outcome]: change(both[outcome]) } };
    });
  const stages = view.kommo.pipelines.flatMap((p) => (p.stages ?? []).map((s) => ({ value: `${p.id}:${s.id}`, label: `${p.name} → ${s.name}` })));
  return (
    <Section id="follow-up" title={t('followup_title')}>
      {(['completed', 'canceled'] as const).map((outcome) => {
        const f = followUpOf(draft, outcome);
        const path = `followUp.${outcome}`;
        const types = BUILTIN_TYPES.includes(f.taskTypeId) ? BUILTIN_TYPES : [...BUILTIN_TYPES, f.taskTypeId];
        const typeLabel = (id: number) => (id === 1 ? t('followup_type_call') : id === 2 ? t('followup_type_meeting') : t('followup_type_other', { id }));
        const setStage = (value: string) =>
          set(outcome, (current) => {
            const [pipelineId, statusId] = value.split(':').map(Number);
            const { moveTo: _old, ...rest } = current;
            return pipelineId && statusId ? { ...rest, moveTo: { pipelineId, statusId } } : rest;
          });
        return (
          <fieldset key={outcome} class="lfk-radios" data-testid={`follow-up-${outcome}`}>
            <legend class="lfk-label">{t(outcome === 'completed' ? 'followup_completed' : 'followup_canceled')}</legend>
            <Toggle label={t('followup_task')} checked={f.task} onChange={(checked) => set(outcome, (c) => ({ ...c, task: checked }))} />
            {f.task && (
              <>
                <TextInput path={`${path}.dueInWorkingHours`} label={t('followup_hours')} kind="numeric" value={String(f.dueInWorkingHours)}
                  error={errors[`${path}.dueInWorkingHours`]}
                  onInput={(value) => set(outcome, (c) => ({ ...c, dueInWorkingHours: value.trim() === '' ? Number.NaN : Number(value) }))} />
                <Select path={`${path}.taskTypeId`} label={t('followup_task_type')} value={String(f.taskTypeId)} error={errors[`${path}.taskTypeId`]}
                  options={types.map((id) => ({ value: String(id), label: typeLabel(id) }))}
                  onChange={(value) => set(outcome, (c) => ({ ...c, taskTypeId: Number(value) }))} />
              </>
            )}
            <Select path={`${path}.moveTo.statusId`} label={t('followup_stage')} value={f.moveTo ? `${f.moveTo.pipelineId}:${f.moveTo.statusId}` : ''}
              error={errors[`${path}.moveTo.statusId`] ?? errors[`${path}.moveTo.pipelineId`]} onChange={setStage}
              options={[{ value: '', label: t('followup_stage_none') }, ...stages]} />
          </fieldset>
        );
      })}
    </Section>
  );
}
