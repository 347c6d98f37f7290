/** A Linear workflow state as a coloured dot plus the state's own name. */
import type { IssueView } from '../../../shared/api';
import { useUi } from './context';

const HEX = /^#[0-9a-f]{3,8}$/i;

export function StatusBadge({ state }: { state: IssueView['state'] }) {
  const { t } = useUi();
  const color = state && HEX.test(state.color) ? state.color : '#c3c6c8';
  return (
    <span class="lfk-badge" data-state-type={state?.type ?? 'none'}>
      <span class="lfk-dot" style={{ background: color }} aria-hidden="true" data-testid="status-dot" />
      {state?.name ?? t('no_status')}
    </span>
  );
}
