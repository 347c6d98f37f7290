/**
 * For a Linear webhook created by hand (a key that may not register webhooks): a field for the
 * signing secret Linear shows on the webhook's page, without which its deliveries are refused.
 */
import { useState } from 'preact/hooks';
import { LinearWebhookSecretRequestSchema, type SettingsView } from '../../../shared/settings-api';
import { toBackendError } from '../api/backend-error';
import type { SettingsBackend } from './api';
import { useSettingsUi } from './context';
import { TextInput } from './controls';

export interface LinearWebhookSecretProps {
  backend: SettingsBackend;
  configured: boolean;
  onSaved: (view: SettingsView) => void;
}

export function LinearWebhookSecret({ backend, configured, onSaved }: LinearWebhookSecretProps) {
  const { t, errorText } = useSettingsUi();
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const parsed = LinearWebhookSecretRequestSchema.safeParse({ secret });
    if (!parsed.success) return setError(t('webhook_secret_invalid'));
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await backend.saveLinearWebhookSecret(parsed.data.secret));
      setSecret('');
    } catch (failure) {
      setError(errorText(toBackendError(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="lfk-webhook-secret" onSubmit={(event) => void save(event)} aria-busy={busy}>
      <TextInput
        path="linearWebhookSecret"
        label={configured ? t('webhook_secret_replace') : t('webhook_secret_label')}
        kind="password"
        value={secret}
        onInput={setSecret}
        error={error}
        placeholder="lin_wh_…"
      />
      <button type="submit" class="lfk-btn" disabled={busy || !secret.trim()}>
        {t('webhook_secret_save')}
      </button>
    </form>
  );
}
