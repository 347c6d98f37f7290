/**
 * Preview: the issue a deal would become with the form as it is now (unsaved), nothing created.
 * The description is shown as plain text, the way it is sent (Markdown source).
 */
import { useState } from 'preact/hooks';
import type { Preview, SettingsInput } from '../../../shared/settings-api';
import { toBackendError } from '../api/backend-error';
import type { PageTranslate } from '../i18n/messages';
import { formatDate } from '../ui/format';
import type { SettingsBackend } from './api';
import { useSettingsUi } from './context';
import { Section, TextInput } from './controls';

const PRIORITIES = ['priority_0', 'priority_1', 'priority_2', 'priority_3', 'priority_4'] as const;

/** The rule's template, and what it still sets under our fields. */
function templateRows(preview: Preview, t: PageTranslate): Array<[string, string]> {
  if (!preview.template) return [];
  return [[t('preview_template'), preview.template.name], ...preview.template.fields.map((f): [string, string] => [t('preview_template_field', { field: f.field }), f.value])];
}

export function PreviewSection({ backend, draft }: { backend: SettingsBackend; draft: SettingsInput }) {
  const { t, language, errorText } = useSettingsUi();
  const [leadId, setLeadId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<Preview | null>(null);

  const run = async (event: Event) => {
    event.preventDefault();
    const id = Number(leadId.trim());
    if (!Number.isSafeInteger(id) || id <= 0) return setError(t('preview_invalid_id'));
    setBusy(true);
    setError(undefined);
    try {
      setPreview(await backend.preview(id, draft));
    } catch (failure) {
      setPreview(null);
      setError(errorText(toBackendError(failure)));
    } finally {
      setBusy(false);
    }
  };

  const rows: Array<[string, string]> = preview
    ? [
        [t('preview_team'), preview.team],
        [t('preview_state'), preview.state ?? t('none')],
        [t('preview_project'), preview.project ?? t('none')],
        [t('preview_assignee'), preview.assignee ?? t('preview_unassigned')],
        [t('preview_priority'), t(PRIORITIES[preview.priority] ?? 'priority_0')],
        [t('preview_due'), preview.dueDate ? formatDate(preview.dueDate, language) : t('none')],
        ...templateRows(preview, t),
      ]
    : [];
  return (
    <Section id="preview" title={t('preview_title')}>
      <p class="lfk-muted">{t('preview_hint')}</p>
      <form class="lfk-row lfk-inline-form" onSubmit={(event) => void run(event)}>
        <TextInput path="preview.leadId" label={t('preview_lead')} kind="numeric" value={leadId} onInput={setLeadId} error={error} />
        <button type="submit" class="lfk-btn" disabled={busy || !leadId.trim()}>
          {busy ? t('preview_running') : t('preview_run')}
        </button>
      </form>
      {preview && (
        <div class="lfk-preview" data-testid="preview">
          <h3 class="lfk-h3">{preview.title}</h3>
          <dl class="lfk-meta">
            {rows.map(([label, value]) => [<dt key={`${label}-t`}>{label}</dt>, <dd key={`${label}-d`}>{value}</dd>])}
          </dl>
          {preview.rules && preview.rules.length > 0 && (
            <ul class="lfk-rules-fired" aria-label={t('preview_rules')}>
              {preview.rules.map((r, i) => (
                <li key={i} data-fires={r.fires}>{t(r.fires ? 'preview_rule_fires' : 'preview_rule_waits', { rule: r.rule, stage: r.stage })}</li>
              ))}
            </ul>
          )}
          <pre class="lfk-pre">{preview.description}</pre>
          {preview.warnings.length > 0 && (
            <ul class="lfk-notice lfk-warning lfk-warnings" aria-label={t('preview_warnings')}>
              {preview.warnings.map((w) => (
                <li key={w.code}>{w.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Section>
  );
}
