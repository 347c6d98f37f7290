/** A short note in Kommo's settings modal / advanced settings page until the full page exists. */
import type { MessageKey } from '../i18n/messages';
import { useUi } from './context';

export function SettingsNote({ message }: { message: MessageKey }) {
  const { t } = useUi();
  return (
    <div class="lfk">
      <p class="lfk-muted">{t(message)}</p>
    </div>
  );
}
