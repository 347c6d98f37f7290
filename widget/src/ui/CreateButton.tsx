/** "Create Linear task": asks the server to create an issue from the deal (same flow as Won). */
import { useUi } from './context';

export interface CreateButtonProps {
  busy: boolean;
  primary: boolean;
  onCreate: () => void;
}

export function CreateButton({ busy, primary, onCreate }: CreateButtonProps) {
  const { t } = useUi();
  return (
    <button
      type="button"
      class={primary ? 'lfk-btn lfk-primary' : 'lfk-btn'}
      disabled={busy}
      aria-busy={busy}
      onClick={onCreate}
    >
      {busy ? t('creating') : t('create')}
    </button>
  );
}
