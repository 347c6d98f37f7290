/** One linked Linear issue: identifier link, status, title, details, last sync, and its actions. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { IssueView, LinkView } from '../../../shared/api';
import { Assignee } from './Assignee';
import { useUi } from './context';
import { formatDate, formatRelative, isAfterDeadline } from './format';
import { StatusBadge } from './StatusBadge';

export interface IssueRowProps {
  issue: IssueView;
  dealDeadline: string | null | undefined;
  unlinking: boolean;
  onUnlink: () => void;
  /** The last comment from Linear (comments both ways), when there is one. */
  lastComment?: LinkView['lastComment'];
  /** The last task a follow-up made for the deal's manager, when there is one. */
  lastTask?: LinkView['lastTask'];
}

type PriorityKey = 'priority_0' | 'priority_1' | 'priority_2' | 'priority_3' | 'priority_4';

export function IssueRow({ issue, dealDeadline, unlinking, onUnlink, lastComment, lastTask }: IssueRowProps) {
  const { t, language, now } = useUi();
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const late = isAfterDeadline(issue.dueDate, dealDeadline);

  return (
    <div data-testid={`issue-${issue.identifier}`}>
      <div class="lfk-head">
        <a class="lfk-id" href={issue.url} target="_blank" rel="noopener noreferrer">
          {issue.identifier}
        </a>
        <StatusBadge state={issue.state} />
      </div>
      <div class="lfk-title">{issue.title}</div>
      {issue.deleted && <div class="lfk-late">{t('deleted')}</div>}
      <dl class="lfk-meta">
        <dt>{t('assignee')}</dt>
        <dd>
          <Assignee assignee={issue.assignee} />
        </dd>
        <dt>{t('priority')}</dt>
        <dd>{t(`priority_${issue.priority}` as PriorityKey)}</dd>
        <dt>{t('due')}</dt>
        <dd class={late ? 'lfk-late' : undefined}>
          {issue.dueDate ? formatDate(issue.dueDate, language) : <span class="lfk-muted">{t('no_due_date')}</span>}
          {late && dealDeadline && (
            <span data-testid="late-flag" title={t('after_deadline', { deadline: formatDate(dealDeadline, language) })}>
              ⚠ {t('after_deadline', { deadline: formatDate(dealDeadline, language) })}
            </span>
          )}
        </dd>
      </dl>
      {lastComment && (
        <div class="lfk-comment" data-testid="last-comment">
          <div class="lfk-muted">{t('last_comment', { author: lastComment.author, time: formatRelative(lastComment.at, now(), language) })}</div>
          <div class="lfk-comment-text">{lastComment.text}</div>
        </div>
      )}
      {lastTask && (
        <div class="lfk-comment" data-testid="last-task">
          <div class="lfk-muted">
            {lastTask.due
              ? t('manager_task_due', { time: formatRelative(lastTask.at, now(), language), due: formatDate(lastTask.due, language) })
              : t('manager_task', { time: formatRelative(lastTask.at, now(), language) })}
          </div>
          <div class="lfk-comment-text">☎ {lastTask.text}</div>
        </div>
      )}
      <div class="lfk-muted">
        {issue.syncedAt ? t('synced', { time: formatRelative(issue.syncedAt, now(), language) }) : t('not_synced')}
      </div>
      {confirming ? (
        <div class="lfk-row" role="group">
          <span>{t('unlink_confirm', { identifier: issue.identifier })}</span>
          <button ref={confirmButton} type="button" class="lfk-btn lfk-danger" disabled={unlinking} onClick={onUnlink}>
            {t('unlink')}
          </button>
          <button type="button" class="lfk-btn" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </button>
        </div>
      ) : (
        <div class="lfk-row">
          <a class="lfk-btn" href={issue.url} target="_blank" rel="noopener noreferrer" style={{ lineHeight: '28px' }}>
            {t('open_in_linear')}
          </a>
          <button type="button" class="lfk-btn lfk-link" onClick={() => setConfirming(true)}>
            {t('unlink')}
          </button>
        </div>
      )}
    </div>
  );
}
