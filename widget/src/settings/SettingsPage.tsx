/**
 * The advanced settings page (Kommo's `advanced_settings` location): loads the settings view and
 * shows every section; admins edit a draft and Save it in one PUT. A non-admin (403, or
 * `isAdmin: false`) gets a read-only page with a one-line explanation.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SettingsView } from '../../../shared/settings-api';
import { toBackendError, type BackendError } from '../api/backend-error';
import type { SettingsBackend } from './api';
import { useSettingsUi } from './context';
import { SettingsForm } from './SettingsForm';

type Load = { kind: 'loading' } | { kind: 'error'; error: BackendError } | { kind: 'ready'; view: SettingsView };

export function SettingsPage({ backend }: { backend: SettingsBackend }) {
  const { t, errorText } = useSettingsUi();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  const fetchView = () => {
    setLoad({ kind: 'loading' });
    backend.load().then(
      (view) => setLoad({ kind: 'ready', view }),
      (error: unknown) => setLoad({ kind: 'error', error: toBackendError(error) }),
    );
  };
  useEffect(fetchView, [backend]);

  return (
    <div class="lfk lfk-settings">
      <h1 class="lfk-h1">{t('page_title')}</h1>
      {load.kind === 'loading' && (
        <div class="lfk-progress lfk-muted" role="status" aria-busy="true">
          <span class="lfk-spin" aria-hidden="true" />
          {t('loading')}
        </div>
      )}
      {load.kind === 'error' &&
        (load.error.status === 403 ? (
          <div class="lfk-notice" role="status" data-testid="read-only">{t('admin_only')}</div>
        ) : load.error.code === 'installation_disabled' ? (
          <div class="lfk-notice lfk-error" role="alert" data-testid="disabled">
            {t('disabled_by_revoke', { date: load.error.disabledAt ? new Date(load.error.disabledAt).toLocaleString() : '?' })}
          </div>
        ) : (
          <div class="lfk-notice lfk-error" role="alert">
            <div>{errorText(load.error)}</div>
            <div class="lfk-row">
              <button type="button" class="lfk-btn" onClick={fetchView}>{t('try_again')}</button>
            </div>
          </div>
        ))}
      {load.kind === 'ready' && <SettingsForm backend={backend} initial={load.view} />}
    </div>
  );
}
