/** A one-line message box with an optional action (Retry, Try again, Dismiss…). */
import type { ComponentChildren } from 'preact';

export interface NoticeAction {
  label: string;
  onClick: () => void;
  disabled?: boolean;
}

export interface NoticeProps {
  tone?: 'info' | 'warning' | 'error';
  children: ComponentChildren;
  actions?: NoticeAction[];
}

export function Notice({ tone = 'info', children, actions = [] }: NoticeProps) {
  return (
    <div class={`lfk-notice lfk-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div>{children}</div>
      {actions.length > 0 && (
        <div class="lfk-row">
          {actions.map((action) => (
            <button key={action.label} type="button" class="lfk-btn" disabled={action.disabled} onClick={action.onClick}>
              {action.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
