/**
 * The app's square logo (the widget's own `logo_min.png`), served at a stable public address:
 * Linear shows it next to the author of the issues and comments our OAuth app creates for
 * someone (`displayIconUrl` with `createAsUser`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export const APP_ICON_PATH = '/app-icon.png';
const ICON_FILE = resolve(__dirname, '..', '..', 'widget', 'images', 'logo_min.png');

let icon: Promise<Buffer> | undefined;

/** Read once and kept; a failed read is tried again next time. */
export function readAppIcon(): Promise<Buffer> {
  icon ??= readFile(ICON_FILE).catch((error: unknown) => {
    icon = undefined;
    throw error;
  });
  return icon;
}
