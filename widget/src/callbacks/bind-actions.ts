/**
 * Kommo's `bind_actions` callback: unmounts everything when Kommo swaps the page without a reload
 * (`page:changed` on the document, what Kommo's own React template listens to:
 * kommo-crm/create-kommo-integration). Registered once per instance; returns true.
 */
import type { WidgetScope } from './scope';

export function bindActions({ $, doc, leavePage }: WidgetScope): boolean {
  $(doc).off('page:changed', leavePage);
  $(doc).on('page:changed', leavePage);
  return true;
}
