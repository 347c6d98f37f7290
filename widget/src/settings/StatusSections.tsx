/** Webhooks (with the URLs to set up by hand when not registered) and the history of changes. */
import type { ComponentChildren } from 'preact';
import type { SettingsView } from '../../../shared/settings-api';
import type { SettingsBackend } from './api';
import { useSettingsUi } from './context';
import { Section } from './controls';
import type { PageKey } from '../i18n/messages';
import { LinearWebhookSecret } from './LinearWebhookSecret';

const LINEAR_STATUS: Record<SettingsView['webhooks']['linear'], PageKey> = {
  registered: 'webhook_registered',
  configured: 'webhook_configured',
  manual: 'webhook_manual',
  app: 'webhook_app',
};

const KOMMO_STATUS: Record<SettingsView['webhooks']['kommo'], PageKey> = {
  registered: 'webhook_registered',
  unavailable: 'webhook_unavailable',
  manual: 'webhook_manual',
  unknown: 'webhook_unknown',
};

function formatTime(value: string, language: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

function Hook({ name, status, url, children }: { name: string; status: PageKey; url: string | null; children?: ComponentChildren }) {
  const { t } = useSettingsUi();
  return (
    <div class="lfk-field" data-testid={`webhook-${name}`}>
      <div>
        <b>{name}</b>: {t(status)}
      </div>
      {url && (
        <>
          <div class="lfk-muted">{t('webhook_configure')}</div>
          <input class="lfk-input lfk-code" readOnly value={url} aria-label={t('webhook_url', { name })} onFocus={(event) => event.currentTarget.select()} />
        </>
      )}
      {children}
    </div>
  );
}

export interface WebhooksSectionProps {
  webhooks: SettingsView['webhooks'];
  backend: SettingsBackend;
  readOnly: boolean;
  onSaved: (view: SettingsView) => void;
}

export function WebhooksSection({ webhooks, backend, readOnly, onSaved }: WebhooksSectionProps) {
  const { t } = useSettingsUi();
  const byHand = webhooks.linear === 'manual' || webhooks.linear === 'configured';
  return (
    <Section id="webhooks" title={t('webhooks_title')}>
      <Hook name="Kommo" status={KOMMO_STATUS[webhooks.kommo]} url={webhooks.kommo === 'registered' ? null : webhooks.kommoUrl} />
      <Hook name="Linear" status={LINEAR_STATUS[webhooks.linear]} url={byHand ? webhooks.linearUrl : null}>
        {byHand && !readOnly && <LinearWebhookSecret backend={backend} configured={webhooks.linear === 'configured'} onSaved={onSaved} />}
      </Hook>
    </Section>
  );
}

export function ChangesSection({ view }: { view: SettingsView }) {
  const { t, language } = useSettingsUi();
  const who = (id: number | null) => (id === null ? t('changes_system') : (view.kommo.users.find((u) => u.id === id)?.name ?? `#${id}`));
  return (
    <Section id="changes" title={t('changes_title')}>
      {view.changes.length === 0 ? (
        <p class="lfk-muted">{t('changes_empty')}</p>
      ) : (
        <ul class="lfk-list lfk-changes">
          {view.changes.map((change, index) => (
            <li key={index} class="lfk-item">
              <span class="lfk-muted">
                {formatTime(change.at, language)} · {who(change.userId)}
              </span>
              <div>{change.summary}</div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
