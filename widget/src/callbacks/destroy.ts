/**
 * Kommo's `destroy` callback (widget disabled, or the user moves to another area): stops
 * listening for `page:changed` and unmounts every root, running the components' cleanups.
 */
import type { WidgetScope } from './scope';

export function destroy({ $, doc, leavePage }: WidgetScope): void {
  $(doc).off('page:changed', leavePage);
  leavePage();
}
