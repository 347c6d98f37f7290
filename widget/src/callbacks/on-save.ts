/**
 * Kommo's `onSave` callback ("Save" in the settings modal, and on disabling the widget). The
 * settings page saves through the server itself; Kommo stores the manifest's fields. Returning
 * true lets Kommo go on.
 */
export function onSave(): boolean {
  return true;
}
