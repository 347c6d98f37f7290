/**
 * The built package `dist/widget.zip` (run `npm run build:widget` first): files at the root, the
 * manifest, i18n completeness, exact logo sizes, and script.js loaded as an AMD module in a DOM
 * with Kommo-like `self`, `APP` and jQuery, rendering the panel from a scripted server answer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { PNG } from 'pngjs';
import { lead, link } from './support/fixtures';
import { readZip } from './support/read-zip';

const root = join(__dirname, '../..');
const zipPath = join(root, 'dist/widget.zip');
const IMAGES: Record<string, [number, number]> = {
  'images/logo_min.png': [84, 84],
  'images/logo_medium.png': [240, 84],
  'images/logo_main.png': [400, 272],
  'images/logo.png': [130, 100],
  'images/logo_small.png': [108, 108],
};
const LOCALES = ['en', 'es', 'pt', 'ru'];

let files: Map<string, Buffer>;
const text = (name: string) => {
  const file = files.get(name);
  if (!file) throw new Error(`${name} is missing from widget.zip`);
  return file.toString('utf8');
};
const json = (name: string): Record<string, unknown> => JSON.parse(text(name)) as Record<string, unknown>;

function lookup(messages: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
}

beforeAll(async () => {
  if (!existsSync(zipPath)) {
    throw new Error(`${zipPath} does not exist: run \`npm run build:widget\` before this test`);
  }
  files = await readZip(zipPath);
});

describe('dist/widget.zip', () => {
  it('has the widget files at the archive root', () => {
    const names = [...files.keys()].sort();
    expect(names).toEqual(
      ['manifest.json', 'script.js', ...LOCALES.map((l) => `i18n/${l}.json`), ...Object.keys(IMAGES)].sort(),
    );
  });

  it('has a complete manifest', () => {
    const manifest = json('manifest.json');
    const widget = manifest.widget as Record<string, unknown>;
    expect(widget).toMatchObject({
      name: 'widget.name',
      description: 'widget.description',
      short_description: 'widget.short_description',
      interface_version: 2,
      installation: true,
    });
    expect(widget.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(widget.locale).toEqual(LOCALES);
    expect(widget.support).toEqual({ link: expect.stringMatching(/^https:\/\//), email: expect.stringContaining('@') });
    expect(manifest.locations).toEqual(expect.arrayContaining(['lcard-1', 'settings', 'advanced_settings']));
    expect(manifest.settings).toEqual({ server_url: { name: 'settings.server_url', type: 'text', required: true } });
    expect(manifest.advanced).toEqual({ title: 'advanced.title' });
    expect(text('manifest.json')).toBe(readFileSync(join(root, 'manifest.json'), 'utf8'));
  });

  it('has every manifest and UI key in every locale', () => {
    const manifest = json('manifest.json');
    const widget = manifest.widget as Record<'name' | 'description' | 'short_description', string>;
    const settings = manifest.settings as Record<string, { name: string }>;
    const advanced = manifest.advanced as { title: string };
    const manifestKeys = [widget.name, widget.description, widget.short_description, advanced.title, ...Object.values(settings).map((s) => s.name)];
    const uiKeys = Object.keys(json('i18n/en.json').panel as object).map((key) => `panel.${key}`);
    for (const locale of LOCALES) {
      const messages = json(`i18n/${locale}.json`);
      const missing = [...manifestKeys, ...uiKeys].filter((key) => typeof lookup(messages, key) !== 'string');
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
  });

  it('has the logos at their exact pixel sizes', () => {
    for (const [name, [width, height]] of Object.entries(IMAGES)) {
      const png = PNG.sync.read(files.get(name) ?? Buffer.alloc(0));
      expect({ name, width: png.width, height: png.height }).toEqual({ name, width, height });
      expect(files.get(name)?.length).toBeLessThan(300 * 1024);
    }
  });

  it('has script.js within the 25 KB gzipped budget', async () => {
    const { gzipSync } = await import('node:zlib');
    expect(gzipSync(files.get('script.js') ?? Buffer.alloc(0)).length).toBeLessThanOrEqual(25 * 1024);
  });
});

describe('script.js in a Kommo-like page', () => {
  type Callbacks = Record<'render' | 'init' | 'bind_actions' | 'destroy', () => unknown>;
  type WidgetCtor = { new (): { callbacks: Callbacks }; prototype: object };
  interface PageWindow {
    eval(code: string): unknown;
    define?: unknown;
    APP?: unknown;
    jQuery: ((target: unknown) => { trigger(name: string): void }) & { Deferred(): { resolve(...args: unknown[]): unknown; promise(): unknown } };
  }

  it('defines an AMD module on jquery whose constructor renders the panel', async () => {
    const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { runScripts: 'outside-only', url: 'https://acme.kommo.com/leads/detail/7' });
    const page = dom.window as unknown as PageWindow;
    page.eval(readFileSync(join(root, 'node_modules/jquery/dist/jquery.js'), 'utf8'));
    const $ = page.jQuery;

    const defined: Array<{ deps: string[]; value: unknown }> = [];
    page.define = (deps: string[], factory: (...modules: unknown[]) => unknown) =>
      defined.push({ deps, value: factory(...deps.map((dep) => (dep === 'jquery' ? $ : undefined))) });
    page.eval(text('script.js'));
    expect(defined.map((d) => d.deps)).toEqual([['jquery']]);
    const Widget = defined[0]?.value as WidgetCtor;
    expect(typeof Widget).toBe('function');
    expect(Function.prototype.toString.call(Widget).startsWith('class')).toBe(false);

    const requests: Array<{ url: string; method: string }> = [];
    Object.assign(Widget.prototype, {
      render_template(options: { caption: { class_name: string }; body: string }) {
        const block = page.eval('document.createElement("div")') as HTMLElement;
        block.className = options.caption.class_name;
        block.innerHTML = options.body;
        dom.window.document.body.appendChild(block);
      },
      get_settings: () => ({ server_url: 'https://backend.test', widget_code: 'lfk', path: '/widgets/lfk' }),
      system: () => ({ area: 'lcard' }),
      i18n: () => undefined,
      params: { path: '/widgets/lfk', widget_code: 'lfk' },
      $authorizedAjax(options: { url: string; method: string }) {
        requests.push(options);
        const deferred = $.Deferred();
        setTimeout(() => deferred.resolve(lead({ links: [link()] }), 'success', { status: 200 }), 0);
        return deferred.promise();
      },
    });
    page.APP = { data: { current_card: { id: 7 } }, lang_id: 'es' };

    const widget = new Widget();
    expect(widget.callbacks.render()).toBe(true);
    expect(widget.callbacks.init()).toBe(true);
    expect(widget.callbacks.bind_actions()).toBe(true);

    const doc = dom.window.document;
    for (let i = 0; i < 50 && !doc.body.textContent?.includes('ENG-42'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(requests).toEqual([expect.objectContaining({ url: 'https://backend.test/api/widget/leads/7', method: 'GET' })]);
    expect(doc.body.textContent).toContain('ENG-42');
    expect(doc.body.textContent).toContain('Crear tarea en Linear');

    $(doc).trigger('page:changed');
    expect(doc.body.textContent).not.toContain('ENG-42');
    widget.callbacks.destroy();
    dom.window.close();
  });
});
