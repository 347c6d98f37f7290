/**
 * Shared pieces of the browser end-to-end tests: the built widget, headless Chromium (the Debian
 * build, never a downloaded one), and screenshot folders under test-artifacts/.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..');
export const WIDGET_DIR = join(ROOT, 'dist', 'widget');

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Fails with the command to run when the widget has not been built. */
export function requireBuiltWidget(): string {
  const script = join(WIDGET_DIR, 'script.js');
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: run \`npm run build:widget\` first (the browser tests load the built widget).`);
  }
  return WIDGET_DIR;
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface Shots {
  dir: string;
  /** Saves a full-page screenshot as `<dir>/<name>.png` and returns its path. */
  take(page: Page, name: string): Promise<string>;
  /**
   * Copies a saved screenshot to a path under the repository (docs/images/…), only when
   * PUBLISH_SCREENSHOTS=1: a plain test run must not change tracked files.
   */
  publish(name: string, repoPath: string): void;
}

export function screenshots(folder: string): Shots {
  const dir = join(ROOT, 'test-artifacts', folder);
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    async take(page, name) {
      const file = join(dir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    publish(name, repoPath) {
      if (process.env.PUBLISH_SCREENSHOTS !== '1') return;
      const target = join(ROOT, repoPath);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(dir, `${name}.png`), target);
    },
  };
}
