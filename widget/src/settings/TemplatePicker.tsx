/**
 * A rule's Linear issue template: the templates its team may use (its own and the workspace's).
 * A saved template the list no longer has stays, marked, so saving never drops it silently.
 */
import type { SettingsView } from '../../../shared/settings-api';
import { useSettingsUi } from './context';
import { Select } from './controls';

export interface TemplatePickerProps {
  path: string;
  /** The rule's Linear team (its own or the default one); undefined = not known yet. */
  teamId: string | undefined;
  value: string | null | undefined;
  templates: SettingsView['linear']['templates'];
  error: string | undefined;
  onChange: (templateId: string | undefined) => void;
}

export function TemplatePicker({ path, teamId, value, templates = [], error, onChange }: TemplatePickerProps) {
  const { t } = useSettingsUi();
  const usable = templates.filter((x) => x.teamId === null || x.teamId === teamId);
  const options = [{ value: '', label: t('rule_template_none') }, ...usable.map((x) => ({ value: x.id, label: x.name }))];
  if (value && !usable.some((x) => x.id === value)) {
    options.push({ value, label: t('value_missing', { value: templates.find((x) => x.id === value)?.name ?? value }) });
  }
  return (
    <Select path={path} label={t('rule_template')} value={value ?? ''} options={options} hint={t('rule_template_hint')} error={error}
      onChange={(next) => onChange(next || undefined)} />
  );
}
