/**
 * One link of the deal in whatever state its creation is: creating, waiting to retry, failed
 * (with Retry), or linked (the issue's details). Warnings such as "assignee not found" show under it,
 * and what created it (a rule's trigger stage or a Digital Pipeline action) under the issue.
 */
import type { LinkView } from '../../../shared/api';
import type { Translate } from '../i18n/messages';
import { useUi } from './context';
import { IssueRow } from './IssueRow';
import { Notice } from './Notice';

export interface LinkItemProps {
  link: LinkView;
  dealDeadline: string | null | undefined;
  pending: string | null;
  onRetry: (linkId: string) => void;
  onUnlink: (linkId: string) => void;
}

export function LinkItem({ link, dealDeadline, pending, onRetry, onUnlink }: LinkItemProps) {
  const { t } = useUi();
  const reason = link.problem?.message ?? '';
  const retrying = pending === `retry:${link.linkId}`;

  return (
    <li class="lfk-item" data-link-status={link.status}>
      {link.status === 'creating' && (
        <div class="lfk-progress" role="status">
          <span class="lfk-spin" aria-hidden="true" />
          {t('creating')}
        </div>
      )}
      {link.status === 'retrying' && (
        <Notice tone="warning">
          <span class="lfk-progress">
            <span class="lfk-spin" aria-hidden="true" />
            {t('retrying', { reason })}
          </span>
        </Notice>
      )}
      {link.status === 'failed' && (
        <Notice tone="error" actions={[{ label: t('retry'), onClick: () => onRetry(link.linkId), disabled: retrying }]}>
          {t('failed', { reason })}
        </Notice>
      )}
      {link.warnings.map((warning) => (
        <Notice key={warning.code} tone="warning">
          {warning.code === 'assignee_not_found' ? t('assignee_not_found') : warning.message}
        </Notice>
      ))}
      {link.issue && (
        <IssueRow
          issue={link.issue}
          dealDeadline={dealDeadline}
          unlinking={pending === `unlink:${link.linkId}`}
          onUnlink={() => onUnlink(link.linkId)}
          lastComment={link.lastComment}
          lastTask={link.lastTask}
        />
      )}
      {link.trigger && <p class="lfk-trigger">{triggerText(t, link.trigger)}</p>}
    </li>
  );
}

function triggerText(t: Translate, trigger: NonNullable<LinkView['trigger']>): string {
  const stage = trigger.stage ?? '?';
  if (trigger.source === 'dp') return t('trigger_dp', { stage });
  return trigger.rule ? t('trigger_rule', { rule: trigger.rule, stage }) : t('trigger_stage', { stage });
}
