/**
 * Kommo's Digital Pipeline action form, as its pipeline editor draws it: each of the manifest's
 * `dp.settings` is an `<input name="<key>">` (or `…[<key>]`) in a field wrapper with its label.
 * Kommo draws it around the `dpSettings` callback, so it is looked for a few times.
 */
import type { WidgetScope } from './scope';

/** Kommo's wrapper of one settings field, label included. */
export const FIELD_WRAPPER = '.widget_settings_block__item_field, .form-group';
const TRIES = 20;
const EVERY_MS = 150;

export function fieldsNamed(doc: Document, key: string): HTMLInputElement[] {
  return [...doc.querySelectorAll<HTMLInputElement>(`input[name="${key}"], input[name$="[${key}]"]`)];
}

/** Resolves true once a field named `key` is drawn; false when it never is or the page changed. */
export function waitForField(scope: WidgetScope, started: number, key: string): Promise<boolean> {
  return new Promise((resolve) => {
    const look = (left: number) => {
      if (started !== scope.generation()) return resolve(false);
      if (fieldsNamed(scope.doc, key).length > 0) return resolve(true);
      if (left <= 0) return resolve(false);
      setTimeout(() => look(left - 1), EVERY_MS);
    };
    look(TRIES);
  });
}

/** Sets the value as typing would: Kommo's form (jQuery handlers) sees the change and saves it. */
export function writeField(field: HTMLInputElement, value: string): void {
  const EventType = field.ownerDocument.defaultView?.Event ?? Event;
  field.value = value;
  field.dispatchEvent(new EventType('input', { bubbles: true }));
  field.dispatchEvent(new EventType('change', { bubbles: true }));
}

/** Hides the whole field, label included (or just the input when it has no wrapper). */
export function hideField(field: HTMLInputElement): void {
  const wrapper = field.closest<HTMLElement>(FIELD_WRAPPER);
  if (wrapper) wrapper.style.display = 'none';
  else field.type = 'hidden';
}
