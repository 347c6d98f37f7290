/** Why Kommo refuses the account (unpaid, restricted, token refused), since when, and that nothing is lost. */
import type { KommoAccessView } from '../../../shared/api';
import { useSettingsUi } from './context';

function formatTime(value: string, language: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function KommoAccessNotice({ access }: { access: KommoAccessView | null }) {
  const { t, language } = useSettingsUi();
  if (!access) return null;
  return (
    <div class="lfk-notice lfk-warning" role="status" data-testid="kommo-access">
      <div>{t(`kommo_access_${access.problem}`)}</div>
      <div class="lfk-muted">{t('kommo_access_since', { since: formatTime(access.since, language), checked: formatTime(access.checkedAt, language) })}</div>
    </div>
  );
}
