/**
 * Linear connection. Where the server has a Linear OAuth app, "Connect Linear" comes first
 * (LinearAppConnection), with a personal key as the alternative; otherwise, and for an
 * installation already on a key: who the saved key belongs to, or a field to paste one (checked by
 * the server at once), plus Replace and Remove. Any change reloads the page's data (teams, users…).
 */
import { useState } from 'preact/hooks';
import { LinearKeyRequestSchema, type SettingsView } from '../../../shared/settings-api';
import { toBackendError } from '../api/backend-error';
import type { SettingsBackend } from './api';
import { useSettingsUi } from './context';
import { TextInput } from './controls';
import { LinearAppConnection } from './LinearAppConnection';

export interface LinearConnectionProps {
  linear: SettingsView['linear'];
  backend: SettingsBackend;
  onChanged: () => Promise<void>;
}

export function LinearConnection(props: LinearConnectionProps) {
  const [useKey, setUseKey] = useState(false);
  const { linear } = props;
  if (linear.oauth.available && linear.method !== 'apiKey' && !useKey) return <LinearAppConnection {...props} onUseKey={() => setUseKey(true)} />;
  return <LinearKeyConnection {...props} />;
}

function LinearKeyConnection({ linear, backend, onChanged }: LinearConnectionProps) {
  const { t, errorText } = useSettingsUi();
  const [editing, setEditing] = useState(!linear.connected);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const connect = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const parsed = LinearKeyRequestSchema.safeParse({ apiKey: key });
    if (!parsed.success) return setError(t('key_invalid'));
    setBusy(true);
    setError(undefined);
    try {
      await backend.connect(parsed.data.apiKey);
      setKey('');
      setEditing(false);
      await onChanged();
    } catch (failure) {
      setError(errorText(toBackendError(failure)));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (busy || !window.confirm(t('key_remove_confirm'))) return;
    setBusy(true);
    setError(undefined);
    try {
      await backend.disconnect();
      setEditing(true);
      await onChanged();
    } catch (failure) {
      setError(errorText(toBackendError(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="lfk-connection" aria-busy={busy}>
      {linear.connected && linear.workspace !== null && (
        <p data-testid="linear-connected">
          {t('connected_as', { workspace: linear.workspace, user: linear.user ?? '?' })}
        </p>
      )}
      {linear.problem && (
        <div class="lfk-notice lfk-warning" role="status">
          {linear.problem}
        </div>
      )}
      {editing ? (
        <form onSubmit={(event) => void connect(event)}>
          <TextInput path="apiKey" label={t('key_label')} kind="password" value={key} onInput={setKey} error={error} placeholder="lin_api_…" />
          <div class="lfk-row">
            <button type="submit" class="lfk-btn lfk-primary" disabled={busy || !key.trim()}>
              {busy ? t('key_checking') : t('key_connect')}
            </button>
            {linear.connected && (
              <button type="button" class="lfk-btn" onClick={() => (setEditing(false), setError(undefined))}>
                {t('cancel')}
              </button>
            )}
          </div>
          <p class="lfk-muted">{t('key_hint')}</p>
        </form>
      ) : (
        <>
          {error && (
            <div class="lfk-notice lfk-error" role="alert">
              {error}
            </div>
          )}
          <div class="lfk-row">
            <button type="button" class="lfk-btn" disabled={busy} onClick={() => setEditing(true)}>
              {t('key_replace')}
            </button>
            <button type="button" class="lfk-btn lfk-danger" disabled={busy} onClick={() => void remove()}>
              {t('key_remove')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
