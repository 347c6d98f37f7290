/**
 * The settings modal (`settings` location): the server address is edited by Kommo's own form
 * above; this shows whether Linear is connected and links to the full settings page.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SettingsView } from '../../../shared/settings-api';
import { toBackendError, type BackendError } from '../api/backend-error';
import type { SettingsBackend } from './api';
import { useSettingsUi } from './context';
import { connectionLine } from './options';

type State = { kind: 'loading' } | { kind: 'error'; error: BackendError } | { kind: 'ready'; linear: SettingsView['linear'] };

export function SettingsSummary({ backend, pageUrl }: { backend: SettingsBackend; pageUrl: string }) {
  const { t, errorText } = useSettingsUi();
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    backend.load().then(
      (view) => setState({ kind: 'ready', linear: view.linear }),
      (error: unknown) => setState({ kind: 'error', error: toBackendError(error) }),
    );
  }, [backend]);

  let line: string;
  if (state.kind === 'loading') line = t('loading');
  else if (state.kind === 'ready') {
    line = connectionLine(state.linear, t);
  } else if (state.error.kind === 'no_server') line = t('summary_no_server');
  else line = state.error.status === 403 ? t('admin_only') : errorText(state.error);

  return (
    <div class="lfk lfk-summary" data-testid="settings-summary">
      <p role="status" aria-busy={state.kind === 'loading'}>
        <b>Linear:</b> {line}
      </p>
      {(state.kind !== 'error' || state.error.kind !== 'no_server') && (
        <a class="lfk-btn lfk-primary lfk-btn-link" href={pageUrl} target="_top">
          {t('open_page')}
        </a>
      )}
    </div>
  );
}
