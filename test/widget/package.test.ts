/**
 * The built package `dist/widget.zip` (run `npm run build:widget` first): files at the root, the
 * manifest, i18n completeness, exact logo sizes, script.js loaded as an AMD module in a DOM
 * with Kommo-like `self`, `APP` and jQuery, rendering the panel from a scripted server answer, and
 * settings.js (the settings page, a second AMD file) loaded by script.js through RequireJS, and the
 * server address baked into script.js (written by the build, replaceable by a server).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { PNG } from 'pngjs';
import { countServerUrlMarkers, withServerUrl } from '../../shared/server-url-marker';
import { lead, link } from './support/fixtures';
import { settingsView } from './support/settings-fixtures';
import { readZip } from './support/read-zip';
import { lookup } from './support/stub-self';

const root = join(__dirname, '../..');
const zipPath = join(root, 'dist/widget.zip');
const IMAGES: Record<string, [number, number]> = {
  'images/logo_min.png': [84, 84],
  'images/logo_medium.png': [240, 84],
  'images/logo_main.png': [400, 272],
  'images/logo.png': [130, 100],
  'images/logo_small.png': [108, 108],
  'images/logo_dp.png': [174, 109],
};
const LOCALES = ['en', 'es', 'pt', 'ru', 'tr', 'id'];

let files: Map<string, Buffer>;
const text = (name: string) => {
  const file = files.get(name);
  if (!file) throw new Error(`${name} is missing from widget.zip`);
  return file.toString('utf8');
};
const json = (name: string): Record<string, unknown> => JSON.parse(text(name)) as Record<string, unknown>;


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
      ['manifest.json', 'script.js', 'settings.js', ...LOCALES.map((l) => `i18n/${l}.json`), ...Object.keys(IMAGES)].sort(),
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
    expect(manifest.settings).toEqual({ server_url: { name: 'settings.server_url', type: 'text', required: false } });
    expect(manifest.advanced).toEqual({ title: 'advanced.title' });
    expect(text('manifest.json')).toBe(readFileSync(join(root, 'manifest.json'), 'utf8'));
  });

  it('has every manifest and UI key in every locale', () => {
    const manifest = json('manifest.json');
    const widget = manifest.widget as Record<'name' | 'description' | 'short_description', string>;
    const settings = manifest.settings as Record<string, { name: string }>;
    const advanced = manifest.advanced as { title: string };
    const dp = manifest.dp as { settings: Record<string, { name: string }> };
    const manifestKeys = [widget.name, widget.description, widget.short_description, advanced.title, ...Object.values(settings).map((s) => s.name), ...Object.values(dp.settings).map((s) => s.name)];
    const english = json('i18n/en.json');
    const uiKeys = ['panel', 'settings_page'].flatMap((group) => Object.keys(english[group] as object).map((key) => `${group}.${key}`));
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

  it('has script.js within the 25 KB gzipped budget, settings.js within 40 KB', async () => {
    const { gzipSync } = await import('node:zlib');
    expect(gzipSync(files.get('script.js') ?? Buffer.alloc(0)).length).toBeLessThanOrEqual(25 * 1024);
    expect(gzipSync(files.get('settings.js') ?? Buffer.alloc(0)).length).toBeLessThanOrEqual(40 * 1024);
  });

  it('bundles only the English strings: Kommo serves the other locales from i18n/', () => {
    const built = (name: string) => readFileSync(join(root, 'dist/widget', name), 'utf8');
    const english = json('i18n/en.json') as Record<'panel' | 'settings_page', Record<string, string>>;
    const scripts = { 'script.js': built('script.js'), 'settings.js': built('settings.js') };
    const groups = { 'script.js': ['panel'], 'settings.js': ['panel', 'settings_page'] } as const;
    const keys = { panel: ['create', 'link_existing', 'unlink_confirm', 'error_no_server', 'loading'], settings_page: ['page_title', 'admin_only'] };
    for (const [name, source] of Object.entries(scripts) as Array<[keyof typeof scripts, string]>) {
      for (const group of groups[name]) {
        // The English text is there as written (non-ASCII too), so a missing translation below means absent.
        for (const key of keys[group]) expect({ name, key, found: source.includes(english[group][key] ?? '?') }).toEqual({ name, key, found: true });
        for (const locale of ['es', 'pt', 'ru', 'tr', 'id']) {
          const messages = json(`i18n/${locale}.json`) as typeof english;
          for (const key of keys[group]) {
            const translated = messages[group][key] ?? '';
            expect(translated).not.toBe(english[group][key]);
            expect({ name, locale, key, found: source.includes(translated) }).toEqual({ name, locale, key, found: false });
          }
        }
      }
    }
    expect(scripts['script.js']).not.toContain(english.settings_page.admin_only);
  });
});

describe('script.js in a Kommo-like page', () => {
  type Callbacks = Record<'render' | 'init' | 'bind_actions' | 'destroy' | 'advancedSettings', () => unknown> & { settings(modalBody: unknown): unknown };
  type WidgetCtor = { new (): { callbacks: Callbacks }; prototype: object };
  type AmdRequire = (deps: string[], onLoad: (module: unknown) => void, onError: (error: unknown) => void) => void;
  interface PageWindow {
    eval(code: string): unknown;
    define?: unknown;
    require?: AmdRequire;
    APP?: unknown;
    jQuery: ((target: unknown) => { trigger(name: string): void }) & { Deferred(): { resolve(...args: unknown[]): unknown; promise(): unknown } };
  }

  interface PageOptions {
    /** script.js as evaluated; default the built one. */
    script?: string;
    /** The widget setting `server_url`; default https://backend.test, undefined = not filled. */
    serverUrl?: string | undefined;
    /** `APP.lang_id`, whose file from the zip's i18n/ Kommo hands the widget; default `en`. */
    language?: string;
  }

  /** A jsdom page with jQuery, an AMD `define` that records modules, and script.js evaluated. */
  function kommoPage(url: string, answer: (options: { url: string; method: string }) => unknown, options: PageOptions = { serverUrl: 'https://backend.test' }) {
    const language = options.language ?? 'en';
    const langs = files.has(`i18n/${language}.json`) ? json(`i18n/${language}.json`) : json('i18n/en.json');
    const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { runScripts: 'outside-only', url });
    const page = dom.window as unknown as PageWindow;
    page.eval(readFileSync(join(root, 'node_modules/jquery/dist/jquery.js'), 'utf8'));
    const $ = page.jQuery;
    const defined: Array<{ deps: string[]; value: unknown }> = [];
    page.define = (deps: string[], factory: (...modules: unknown[]) => unknown) =>
      defined.push({ deps, value: factory(...deps.map((dep) => (dep === 'jquery' ? $ : undefined))) });
    page.eval(options.script ?? text('script.js'));
    const Widget = defined[0]?.value as WidgetCtor;
    const requests: Array<{ url: string; method: string }> = [];
    Object.assign(Widget.prototype, {
      render_template(options: { caption: { class_name: string }; body: string }) {
        const block = page.eval('document.createElement("div")') as HTMLElement;
        block.className = options.caption.class_name;
        block.innerHTML = options.body;
        dom.window.document.body.appendChild(block);
      },
      get_settings: () => ({ ...(options.serverUrl === undefined ? {} : { server_url: options.serverUrl }), widget_code: 'lfk', path: '/widgets/lfk' }),
      system: () => ({ area: 'lcard' }),
      langs,
      i18n: (key: string) => lookup(langs, key),
      params: { path: '/widgets/lfk', widget_code: 'lfk' },
      $authorizedAjax(options: { url: string; method: string }) {
        requests.push(options);
        const deferred = $.Deferred();
        setTimeout(() => deferred.resolve(answer(options), 'success', { status: 200 }), 0);
        return deferred.promise();
      },
    });
    return { dom, page, $, defined, Widget, requests, doc: dom.window.document };
  }

  /** Kommo's RequireJS for the page: evaluates the built settings.js and hands back its module. */
  function serveSettingsJs(page: PageWindow, defined: Array<{ value: unknown }>, loaded: string[] = []) {
    page.require = (deps, onLoad, onError) => {
      loaded.push(...deps);
      setTimeout(() => {
        try {
          page.eval(text('settings.js'));
          onLoad(defined[defined.length - 1]?.value);
        } catch (error) {
          onError(error);
        }
      }, 0);
    };
  }

  async function until(condition: () => boolean) {
    for (let i = 0; i < 100 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it('defines an AMD module on jquery whose constructor renders the panel', async () => {
    const { dom, page, $, defined, Widget, requests, doc } = kommoPage('https://acme.kommo.com/leads/detail/7', () => lead({ links: [link()] }), {
      serverUrl: 'https://backend.test',
      language: 'es',
    });
    expect(defined.map((d) => d.deps)).toEqual([['jquery']]);
    expect(typeof Widget).toBe('function');
    expect(Function.prototype.toString.call(Widget).startsWith('class')).toBe(false);
    page.APP = { data: { current_card: { id: 7 } }, lang_id: 'es' };

    const widget = new Widget();
    expect(widget.callbacks.render()).toBe(true);
    expect(widget.callbacks.init()).toBe(true);
    expect(widget.callbacks.bind_actions()).toBe(true);

    await until(() => Boolean(doc.body.textContent?.includes('ENG-42')));
    expect(requests).toEqual([expect.objectContaining({ url: 'https://backend.test/api/widget/leads/7', method: 'GET' })]);
    expect(doc.body.textContent).toContain('ENG-42');
    expect(doc.body.textContent).toContain('Crear tarea en Linear');

    $(doc).trigger('page:changed');
    expect(doc.body.textContent).not.toContain('ENG-42');
    widget.callbacks.destroy();
    dom.window.close();
  });

  it('loads settings.js through RequireJS on the advanced settings page and renders it', async () => {
    const { dom, page, defined, Widget, requests, doc } = kommoPage('https://acme.kommo.com/settings/widgets/lfk/', () => settingsView(), {
      serverUrl: 'https://backend.test',
      language: 'ru',
    });
    const loaded: string[] = [];
    serveSettingsJs(page, defined, loaded);
    page.APP = { data: { current_card: false }, lang_id: 'ru' };
    const workArea = doc.createElement('div');
    workArea.id = 'work-area-lfk';
    doc.body.appendChild(workArea);

    const widget = new Widget();
    expect(widget.callbacks.render()).toBe(true);
    expect(widget.callbacks.advancedSettings()).toBe(true);
    await until(() => Boolean(workArea.textContent?.includes('Jane Admin')));
    expect(loaded).toEqual(['/widgets/lfk/settings.js']);
    expect(defined.map((d) => d.deps)).toEqual([['jquery'], []]);
    expect(requests).toEqual([expect.objectContaining({ url: 'https://backend.test/api/widget/settings', method: 'GET' })]);
    expect(workArea.textContent).toContain('Настройки Linear for Kommo');
    expect(workArea.textContent).toContain('Подключено к рабочему пространству Acme как Jane Admin.');
    widget.callbacks.destroy();
    expect(workArea.textContent).toBe('');
    dom.window.close();
  });

  describe('the server address baked into script.js', () => {
    it('is one marker in script.js and none in settings.js', () => {
      expect(countServerUrlMarkers(text('script.js'))).toBe(1);
      expect(countServerUrlMarkers(text('settings.js'))).toBe(0);
    });

    it.each([
      ['the baked address when the server_url setting is empty', '', 'https://baked.test/lfk/api/widget/leads/7'],
      ['the server_url setting when an admin filled it', 'https://own.test/', 'https://own.test/api/widget/leads/7'],
    ])('is used unless overridden: the card calls %s', async (_case, serverUrl, expected) => {
      const script = withServerUrl(text('script.js'), 'https://baked.test/lfk/');
      const { dom, page, Widget, requests, doc } = kommoPage('https://acme.kommo.com/leads/detail/7', () => lead({ links: [link()] }), { script, serverUrl });
      page.APP = { data: { current_card: { id: 7 } }, lang_id: 'en' };
      const widget = new Widget();
      widget.callbacks.render();
      await until(() => Boolean(doc.body.textContent?.includes('ENG-42')));
      expect(requests).toEqual([expect.objectContaining({ url: expected, method: 'GET' })]);
      widget.callbacks.destroy();
      dom.window.close();
    });

    it('with neither, the card and the settings modal say it is not configured, in the user language', async () => {
      const script = withServerUrl(text('script.js'), '');
      const turkish = json('i18n/tr.json') as { panel: Record<string, string>; settings_page: Record<string, string> };
      const card = kommoPage('https://acme.kommo.com/leads/detail/7', () => lead(), { script, serverUrl: undefined, language: 'tr' });
      card.page.APP = { data: { current_card: { id: 7 } }, lang_id: 'tr' };
      const widget = new card.Widget();
      widget.callbacks.render();
      await until(() => Boolean(card.doc.body.textContent?.includes(turkish.panel.error_no_server ?? '?')));
      expect(card.doc.body.textContent).toContain(turkish.panel.error_no_server);
      widget.callbacks.destroy();
      card.dom.window.close();

      const modal = kommoPage('https://acme.kommo.com/settings/widgets/', () => settingsView(), { script, serverUrl: '', language: 'tr' });
      serveSettingsJs(modal.page, modal.defined);
      modal.page.APP = { data: { current_card: false }, lang_id: 'tr' };
      const body = modal.doc.createElement('div');
      modal.doc.body.appendChild(body);
      const settingsWidget = new modal.Widget();
      settingsWidget.callbacks.settings({ 0: body, length: 1 });
      await until(() => Boolean(body.textContent?.includes(turkish.settings_page.summary_no_server ?? '?')));
      expect(body.textContent).toContain(turkish.settings_page.summary_no_server);
      expect(card.requests).toEqual([]);
      expect(modal.requests).toEqual([]);
      settingsWidget.callbacks.destroy();
      modal.dom.window.close();
    });
  });
});
