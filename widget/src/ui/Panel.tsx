/**
 * The "Linear" block in the deal card's sidebar. Picks what to show: nothing to do for a new deal,
 * loading, an error with Try again, "not configured" (admins get a settings link), or the deal's
 * links with Create and Link existing, under a warning when Kommo refuses the account, or without
 * them under "Linear is disconnected" when Linear was set up and then disconnected.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Backend } from '../api/backend';
import { DEFAULT_POLL, useLeadLinks, type PollOptions } from '../state/use-lead-links';
import { useUi } from './context';
import { CreateButton } from './CreateButton';
import { errorMessage } from './error-message';
import { LinkExisting } from './LinkExisting';
import { LinkItem } from './LinkItem';
import { Notice } from './Notice';

export interface PanelProps {
  backend: Backend;
  /** 0 for a new, unsaved deal. */
  leadId: number;
  settingsUrl: string;
  poll?: PollOptions;
}

export function Panel(props: PanelProps) {
  const { t } = useUi();
  return (
    <section class="lfk" aria-label={t('issues')}>
      {props.leadId > 0 ? <LeadPanel {...props} /> : <p class="lfk-muted">{t('new_deal')}</p>}
    </section>
  );
}

function LeadPanel({ backend, leadId, settingsUrl, poll = DEFAULT_POLL }: PanelProps) {
  const { t } = useUi();
  const links = useLeadLinks(backend, leadId, poll);
  const [linking, setLinking] = useState(false);
  const linkButton = useRef<HTMLButtonElement>(null);
  const wasLinking = useRef(false);
  const { state, pending } = links;

  // Closing "Link existing" gives focus back to its button, so keyboard users keep their place.
  useEffect(() => {
    if (wasLinking.current && !linking) linkButton.current?.focus();
    wasLinking.current = linking;
  }, [linking]);

  if (state.kind === 'loading') {
    return (
      <div class="lfk-progress lfk-muted" role="status" aria-busy="true">
        <span class="lfk-spin" aria-hidden="true" />
        {t('loading')}
      </div>
    );
  }
  if (state.kind === 'error') {
    return (
      <Notice tone="error" actions={[{ label: t('try_again'), onClick: links.reload }]}>
        {errorMessage(state.error, t)}
      </Notice>
    );
  }

  const { lead } = state;
  // Linear was set up and is now disconnected (or its grant ended): say so, keep showing the links.
  const linearGone = lead.linearAccess === 'disconnected' || lead.linearAccess === 'reconnect_needed';
  if (!lead.configured && !linearGone) {
    return lead.isAdmin ? (
      <Notice>
        {t('not_configured_admin')}{' '}
        <a href={settingsUrl} target="_top">
          {t('open_settings')}
        </a>
      </Notice>
    ) : (
      <Notice>{t('not_configured_user')}</Notice>
    );
  }

  return (
    <>
      {linearGone && (
        <Notice tone="warning">
          <span data-testid="linear-access">{t(lead.linearAccess === 'disconnected' ? 'linear_disconnected' : 'linear_reconnect_needed')}</span>
          {lead.isAdmin && (
            <>
              {' '}
              <a href={settingsUrl} target="_top">
                {t('open_settings')}
              </a>
            </>
          )}
        </Notice>
      )}
      {lead.kommoAccess && (
        <Notice tone="warning">
          <span data-testid="kommo-access">{t(`kommo_${lead.kommoAccess.problem}`)}</span>
        </Notice>
      )}
      {links.actionError && (
        <Notice tone="error" actions={[{ label: t('dismiss'), onClick: links.dismissError }]}>
          {errorMessage(links.actionError, t)}
        </Notice>
      )}
      {links.stalled && (
        <Notice actions={[{ label: t('refresh'), onClick: links.reload }]}>{t('still_working')}</Notice>
      )}
      {lead.links.length === 0 ? (
        <p class="lfk-muted">{t('empty')}</p>
      ) : (
        <ul class="lfk-list" aria-label={t('issues')}>
          {lead.links.map((link) => (
            <LinkItem
              key={link.linkId}
              link={link}
              dealDeadline={lead.dealDeadline}
              pending={pending}
              onRetry={(id) => void links.retry(id)}
              onUnlink={(id) => void links.unlink(id)}
            />
          ))}
        </ul>
      )}
      {linearGone ? null : linking ? (
        <LinkExisting search={backend.search} onLink={links.link} onClose={() => setLinking(false)} />
      ) : (
        <div class="lfk-row">
          <CreateButton busy={pending === 'create'} primary={lead.links.length === 0} onCreate={() => void links.create()} />
          <button ref={linkButton} type="button" class="lfk-btn" onClick={() => setLinking(true)}>
            {t('link_existing')}
          </button>
        </div>
      )}
    </>
  );
}
