/**
 * Linear through "Connect Linear" (OAuth, the app acts as itself): Connect, Reconnect when the
 * grant is over (Linear refused to renew it, or the workspace removed the app), and Disconnect,
 * which revokes it at Linear. A personal API key stays available for self-hosted setups.
 */
import { useState } from 'preact/hooks';
import type { SettingsView } from '../../../shared/settings-api';
import { toBackendError } from '../api/backend-error';
import type { SettingsBackend } from './api';
import { useSettingsUi } from './context';
import { useLinearOAuth } from './use-linear-oauth';

export interface LinearAppConnectionProps {
  linear: SettingsView['linear'];
  backend: SettingsBackend;
  onChanged: () => Promise<void>;
  /** Shows the personal-key form instead. */
  onUseKey: () => void;
}

export function LinearAppConnection({ linear, backend, onChanged, onUseKey }: LinearAppConnectionProps) {
  const { t, errorText } = useSettingsUi();
  const flow = useLinearOAuth(backend, onChanged);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | undefined>(undefined);
  const granted = linear.method === 'oauth';
  const ended = granted && linear.oauth.status !== 'connected';

  const disconnect = async () => {
    if (removing || !window.confirm(t('oauth_disconnect_confirm'))) return;
    setRemoving(true);
    setRemoveError(undefined);
    try {
      await backend.disconnectLinearOAuth();
      await onChanged();
    } catch (failure) {
      setRemoveError(errorText(toBackendError(failure)));
    } finally {
      setRemoving(false);
    }
  };

  const error = removeError ?? (flow.error ? errorText(flow.error) : undefined);
  return (
    <div class="lfk-connection" aria-busy={flow.busy || removing} data-testid="linear-app-connection">
      {granted && !ended && linear.workspace !== null && (
        <p data-testid="linear-connected">{t('oauth_connected', { workspace: linear.workspace })}</p>
      )}
      {ended && (
        <div class="lfk-notice lfk-warning" role="status" data-testid="linear-reconnect">
          {linear.problem ?? t('oauth_reconnect_needed')}
        </div>
      )}
      {!ended && linear.problem && granted && (
        <div class="lfk-notice lfk-warning" role="status">{linear.problem}</div>
      )}
      {error && (
        <div class="lfk-notice lfk-error" role="alert">{error}</div>
      )}
      <div class="lfk-row">
        {(!granted || ended) && (
          <button type="button" class="lfk-btn lfk-primary" disabled={flow.busy} onClick={flow.start}>
            {flow.busy ? t('oauth_waiting') : ended ? t('oauth_reconnect') : t('oauth_connect')}
          </button>
        )}
        {granted && (
          <button type="button" class="lfk-btn lfk-danger" disabled={removing} onClick={() => void disconnect()}>
            {t('oauth_disconnect')}
          </button>
        )}
      </div>
      {flow.blockedUrl && (
        <p class="lfk-notice" role="status">
          {t('oauth_popup_blocked')}{' '}
          <a href={flow.blockedUrl} target="_blank" rel="opener">{t('oauth_open_consent')}</a>
        </p>
      )}
      {!granted && (
        <p class="lfk-muted">
          {t('oauth_hint')}{' '}
          <button type="button" class="lfk-link" onClick={onUseKey}>{t('oauth_use_key')}</button>
        </p>
      )}
    </div>
  );
}
