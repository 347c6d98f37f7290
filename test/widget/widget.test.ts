/** @jest-environment jsdom */
/**
 * The widget constructor as Kommo uses it: system methods on the prototype, `new`, callbacks
 * returning true, the panel mounted into the render_template block and unmounted on
 * `page:changed` and `destroy`.
 */
import { screen } from '@testing-library/preact';
import { mountedCount, unmountAll } from '../../widget/src/mount';
import { BLOCK_CLASS } from '../../widget/src/widget';
import { fakeRequire, makeWidget, win } from './support/make-widget';
import { settingsView } from './support/settings-fixtures';

describe('widget constructor', () => {
  beforeEach(() => {
    win.APP = { data: { current_card: { id: 7 } }, lang_id: 'en' };
    document.body.innerHTML = '';
  });
  afterEach(() => {
    unmountAll();
    delete win.require;
  });

  it('is a plain function whose render, init and bind_actions return true', () => {
    const { widget } = makeWidget();
    expect(Function.prototype.toString.call(widget.constructor).startsWith('class')).toBe(false);
    expect(widget.callbacks.render()).toBe(true);
    expect(widget.callbacks.init()).toBe(true);
    expect(widget.callbacks.bind_actions()).toBe(true);
    expect(widget.callbacks.onSave()).toBe(true);
  });

  it('mounts the panel into the sidebar block and loads the lead', async () => {
    const { widget } = makeWidget();
    widget.callbacks.render();
    expect(document.querySelector(`.${BLOCK_CLASS} .lfk`)).not.toBeNull();
    expect(await screen.findByTestId('issue-ENG-42')).toBeTruthy();
    expect(document.getElementById('lfk-styles')).not.toBeNull();
  });

  it('unmounts on page:changed and on destroy', async () => {
    const { widget, trigger } = makeWidget();
    widget.callbacks.render();
    widget.callbacks.bind_actions();
    await screen.findByTestId('issue-ENG-42');
    trigger('page:changed');
    expect(mountedCount()).toBe(0);
    expect(document.querySelector(`.${BLOCK_CLASS}`)?.innerHTML).toBe('');

    widget.callbacks.render();
    expect(mountedCount()).toBe(1);
    widget.callbacks.destroy();
    expect(mountedCount()).toBe(0);
  });

  it('shows the new-deal message without calling the server', () => {
    win.APP = { data: { current_card: { id: 0 } } };
    const { widget } = makeWidget('lcard', () => {
      throw new Error('no call expected');
    });
    widget.callbacks.render();
    expect(screen.getByText(/Save the deal first/)).toBeTruthy();
  });

  it('renders nothing outside the lead card; the settings modal loads settings.js and shows the connection', async () => {
    const loaded: string[] = [];
    win.require = fakeRequire(loaded);
    const { widget } = makeWidget('settings', () => ({ ok: true, status: 200, data: settingsView() }));
    expect(widget.callbacks.render()).toBe(true);
    expect(document.querySelector(`.${BLOCK_CLASS}`)).toBeNull();
    const modalBody = document.createElement('div');
    document.body.appendChild(modalBody);
    expect(widget.callbacks.settings({ 0: modalBody, length: 1 })).toBe(true);
    expect(modalBody.textContent).toContain('Loading the Linear settings…');
    expect(await screen.findByText('Connected to the Acme workspace as Jane Admin.')).toBeTruthy();
    expect(loaded).toEqual(['/widgets/lfk/settings.js?v=0.1.0']);
    expect(screen.getByRole('link', { name: 'Open the Linear settings page' }).getAttribute('href')).toBe('/settings/widgets/lfk/');
    expect(document.getElementById('lfk-settings-styles')).not.toBeNull();
    widget.callbacks.destroy();
    expect(modalBody.textContent).toBe('');
  });

  it('renders the full settings page into the advanced settings work area', async () => {
    win.require = fakeRequire([]);
    const { widget } = makeWidget('advanced_settings', () => ({ ok: true, status: 200, data: settingsView() }));
    const workArea = document.createElement('div');
    workArea.id = 'work-area-lfk';
    document.body.appendChild(workArea);
    expect(widget.callbacks.advancedSettings()).toBe(true);
    expect(await screen.findByRole('heading', { name: 'Linear for Kommo settings' })).toBeTruthy();
    expect(await screen.findByTestId('linear-connected')).toBeTruthy();
    expect(mountedCount()).toBe(1);
  });

  it('says so when settings.js cannot be loaded, and mounts nothing once the page changed', async () => {
    const { widget, trigger } = makeWidget('advanced_settings');
    const workArea = document.createElement('div');
    workArea.id = 'work-area-lfk';
    document.body.appendChild(workArea);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    widget.callbacks.advancedSettings(); // no RequireJS at all
    expect(await screen.findByText(/The settings page could not be loaded/)).toBeTruthy();
    warn.mockRestore();

    win.require = fakeRequire([]);
    widget.callbacks.bind_actions();
    widget.callbacks.advancedSettings();
    trigger('page:changed');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(workArea.textContent).toBe('');
    expect(mountedCount()).toBe(0);
  });
});
