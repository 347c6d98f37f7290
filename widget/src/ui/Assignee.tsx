/** The assignee's avatar (or initials) and name; "Unassigned" when there is none. */
import type { IssueView } from '../../../shared/api';
import { useUi } from './context';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

export function Assignee({ assignee }: { assignee: IssueView['assignee'] }) {
  const { t } = useUi();
  if (!assignee) return <span class="lfk-muted">{t('unassigned')}</span>;
  return (
    <>
      {assignee.avatarUrl ? (
        <img class="lfk-avatar" src={assignee.avatarUrl} alt="" width={18} height={18} />
      ) : (
        <span class="lfk-avatar" aria-hidden="true">
          {initials(assignee.name)}
        </span>
      )}
      <span>{assignee.name}</span>
    </>
  );
}
