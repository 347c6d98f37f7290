/**
 * Every section around one draft, and the Save bar (atomic PUT; errors land next to their control).
 * Not a <form>: the key and preview boxes are forms of their own.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SettingsView } from '../../../shared/settings-api';
import { toBackendError } from '../api/backend-error';
import type { SettingsBackend } from './api';
import { useSettingsUi } from './context';
import { CommentsSection } from './CommentsSection';
import { CustomersSection } from './CustomersSection';
import { FieldsSection } from './FieldsSection';
import { FollowUpSection } from './FollowUpSection';
import { useSettingsForm } from './form';
import { LinearSection } from './LinearSection';
import { NotesSection } from './NotesSection';
import { KommoAccessNotice } from './KommoAccessNotice';
import { PreviewSection } from './PreviewSection';
import { BackfillSection } from './BackfillSection';
import { SetupChecklist } from './SetupChecklist';
import { ChangesSection, WebhooksSection } from './StatusSections';
import { UsersSection } from './UsersSection';

type Status = { kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string };

export function SettingsForm({ backend, initial }: { backend: SettingsBackend; initial: SettingsView }) {
  const { t, errorText } = useSettingsUi();
  const form = useSettingsForm(initial, t('field_invalid'));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [forbidden, setForbidden] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const focusError = useRef(false);
  const readOnly = forbidden || !form.view.isAdmin;
  const { dirty, errors } = form;

  useEffect(() => {
    if (!focusError.current) return;
    focusError.current = false;
    root.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });

  const reload = async () => {
    try {
      form.accept(await backend.load());
    } catch (error) {
      setStatus({ kind: 'error', message: errorText(toBackendError(error)) });
    }
  };

  const save = async () => {
    if (!dirty || status.kind === 'saving' || readOnly) return;
    if (Object.keys(errors).length > 0) {
      focusError.current = true;
      setStatus({ kind: 'error', message: t('fix_errors') });
      return;
    }
    setStatus({ kind: 'saving' });
    try {
      form.accept(await backend.save(form.draft), true);
      setStatus({ kind: 'saved' });
    } catch (failure) {
      const error = toBackendError(failure);
      if (error.status === 403) setForbidden(true);
      if (error.field) {
        form.setServerErrors({ [error.field]: error.message });
        focusError.current = true;
      }
      setStatus({ kind: 'error', message: errorText(error) });
    }
  };

  return (
    <div ref={root}>
      {readOnly && <div class="lfk-notice" role="status" data-testid="read-only">{t('admin_only')}</div>}
      <SetupChecklist view={form.view} />
      <KommoAccessNotice access={form.view.kommo.access} />
      <fieldset class="lfk-plain" disabled={readOnly}>
        <LinearSection form={form} backend={backend} readOnly={readOnly} onReload={reload} />
        <FieldsSection form={form} />
        <UsersSection form={form} />
        <NotesSection form={form} />
        <FollowUpSection form={form} />
        <CommentsSection form={form} />
        <CustomersSection form={form} />
      </fieldset>
      <div class="lfk-savebar">
        {status.kind === 'error' && <div class="lfk-notice lfk-error" role="alert">{status.message}</div>}
        {status.kind === 'saved' && !dirty && <div class="lfk-notice" role="status">{t('saved')}</div>}
        <div class="lfk-row">
          <button type="button" class="lfk-btn lfk-primary" disabled={readOnly || !dirty || status.kind === 'saving'} onClick={() => void save()}>
            {status.kind === 'saving' ? t('saving') : t('save')}
          </button>
          {dirty && !readOnly && <span class="lfk-muted">{t('unsaved')}</span>}
        </div>
      </div>
      <fieldset class="lfk-plain" disabled={readOnly}>
        <PreviewSection backend={backend} draft={form.draft} />
      </fieldset>
      <BackfillSection backend={backend.backfill} readOnly={readOnly} />
      <WebhooksSection webhooks={form.view.webhooks} backend={backend} readOnly={readOnly} onSaved={(view) => form.accept(view)} />
      <ChangesSection view={form.view} />
    </div>
  );
}
