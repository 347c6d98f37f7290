/**
 * Kommo's `init` callback, called with `bind_actions` after `render`. The panel loads its data
 * itself once mounted, so there is nothing to do; it must return true.
 */
export function init(): boolean {
  return true;
}
