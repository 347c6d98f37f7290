/**
 * The page opens with what a working setup needs, in the order an admin does it: Kommo
 * connected, Linear connected, a team chosen, webhooks live (with each side's last delivery), a
 * test deal previewed. Each line is green, or says what is missing with the one action that
 * fixes it (it scrolls to the section where that is done). It reads the saved state.
 */
import type { SettingsView } from '../../../shared/settings-api';
import type { PageKey } from '../i18n/messages';
import { useSettingsUi } from './context';

interface Item {
  key: string;
  ok: boolean;
  text: string;
  /** The section that fixes it, and the button's label. */
  fix?: { section: string; label: PageKey };
}

const goTo = (section: string) => document.getElementById(`lfk-s-h-${section}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });

export function SetupChecklist({ view }: { view: SettingsView }) {
  const { t, language } = useSettingsUi();
  const when = (at: string | null) => (at ? new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)) : t('setup_never'));
  const { linear, kommo, webhooks, setup, settings } = view;
  const linearOk = linear.connected && linear.problem === null && (linear.method !== 'oauth' || linear.oauth.status === 'connected');
  const teamOk = Boolean(settings.team) || (settings.rules.length > 0 && settings.rules.every((r) => Boolean(r.team)));
  const hooksOk = (webhooks.kommo === 'registered' || setup.kommoWebhookAt !== null) && webhooks.linear !== 'manual';
  const items: Item[] = [
    { key: 'kommo', ok: kommo.access === null, text: kommo.access === null ? t('setup_kommo_ok') : t('setup_kommo_refused') },
    {
      key: 'linear',
      ok: linearOk,
      text: linearOk ? t('setup_linear_ok', { workspace: linear.workspace ?? '?' }) : t('setup_linear_missing'),
      fix: { section: 'linear', label: 'setup_connect' },
    },
    { key: 'team', ok: teamOk, text: teamOk ? t('setup_team_ok') : t('setup_team_missing'), fix: { section: 'linear', label: 'setup_choose_team' } },
    {
      key: 'webhooks',
      ok: hooksOk,
      text: t(hooksOk ? 'setup_webhooks_ok' : 'setup_webhooks_missing', { kommo: when(setup.kommoWebhookAt), linear: when(setup.linearWebhookAt) }),
      fix: { section: 'webhooks', label: 'setup_open_webhooks' },
    },
    {
      key: 'preview',
      ok: setup.previewedAt !== null,
      text: setup.previewedAt !== null ? t('setup_preview_ok', { at: when(setup.previewedAt) }) : t('setup_preview_missing'),
      fix: { section: 'preview', label: 'setup_preview_now' },
    },
  ];
  const done = items.filter((i) => i.ok).length;
  return (
    <section class="lfk-section lfk-checklist" aria-labelledby="lfk-s-h-setup" data-testid="setup-checklist">
      <h2 id="lfk-s-h-setup" class="lfk-h2">
        {t('setup_title', { done, total: items.length })}
      </h2>
      <ul class="lfk-list">
        {items.map((item) => (
          <li key={item.key} class="lfk-item lfk-check-item" data-testid={`setup-${item.key}`} data-ok={String(item.ok)}>
            <span class={item.ok ? 'lfk-ok' : 'lfk-todo'} aria-hidden="true">{item.ok ? '✓' : '○'}</span>
            <span>{item.text}</span>
            {!item.ok && item.fix && (
              <button type="button" class="lfk-link" onClick={() => goTo(item.fix?.section ?? '')}>
                {t(item.fix.label)}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
