/** @jest-environment jsdom */
/**
 * The block speaks the user's Kommo language (en, es, pt, ru, tr, id) from the locale file Kommo
 * serves (here a stub `self`) and falls back to English; every locale file has every key the
 * manifest and the UI use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen } from '@testing-library/preact';
import { readdirSync } from 'node:fs';
import { createPageTranslator, createTranslator } from '../../widget/src/i18n/messages';
import { FakeBackend } from './support/fake-backend';
import { lead, link } from './support/fixtures';
import { renderPanel } from './support/render-panel';
import { FakeSettingsBackend } from './support/fake-settings-backend';
import { renderSettings } from './support/render-settings';
import { localeFile } from './support/stub-self';

const root = join(__dirname, '../..');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));

/** All dotted key paths of a nested i18n object. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key));
}

describe('i18n', () => {
  it.each([
    ['ru', 'Создать задачу в Linear', 'Привязать существующую', 'Высокий'],
    ['es', 'Crear tarea en Linear', 'Vincular existente', 'Alta'],
    ['pt', 'Criar tarefa no Linear', 'Vincular existente', 'Alta'],
    ['tr', 'Linear görevi oluştur', 'Mevcut görevi bağla', 'Yüksek'],
    ['id', 'Buat tugas Linear', 'Tautkan yang ada', 'Tinggi'],
  ] as const)('renders the panel in %s', async (language, create, linkExisting, high) => {
    renderPanel(new FakeBackend(lead({ links: [link()] })), { language });
    expect(await screen.findByRole('button', { name: create })).toBeTruthy();
    expect(screen.getByRole('button', { name: linkExisting })).toBeTruthy();
    expect(screen.getByText(high)).toBeTruthy();
  });

  it('falls back to English for a language it has no file for, whatever the host serves', async () => {
    renderPanel(new FakeBackend(lead()), { language: 'de', langs: localeFile('ru') });
    expect(await screen.findByRole('button', { name: 'Create Linear task' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Создать задачу в Linear' })).toBeNull();
  });

  it('fills placeholders', () => {
    const russian = localeFile('ru') as { panel: unknown };
    expect(createTranslator(russian.panel)('retrying', { reason: 'лимит' })).toBe('Ждём повторной попытки: лимит');
    expect(createTranslator()('retrying', { reason: 'rate limit' })).toBe('Waiting to retry: rate limit');
  });

  it('takes a key the host lacks, empty or not a string, from English', () => {
    const turkish = { ...(localeFile('tr') as { panel: Record<string, unknown> }).panel, create: undefined, link_existing: '', unlink: 7 };
    const t = createTranslator(turkish);
    expect([t('create'), t('link_existing'), t('unlink'), t('cancel')]).toEqual(['Create Linear task', 'Link existing', 'Unlink', 'İptal']);
    expect(createPageTranslator('not an object')('save')).toBe('Save');
  });

  const english = keysOf(readJson('widget/i18n/en.json')).sort();
  it.each(['es', 'pt', 'ru', 'tr', 'id'])('%s.json has exactly the keys of en.json, none empty', (locale) => {
    const messages = readJson(`widget/i18n/${locale}.json`);
    expect(keysOf(messages).sort()).toEqual(english);
    const empty = keysOf(messages).filter((key) => {
      const text = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
      return typeof text !== 'string' || text.trim() === '';
    });
    expect(empty).toEqual([]);
  });

  it('has every panel key used in the widget source', () => {
    const used = new Set<string>();
    const sources = ['ui/Panel.tsx', 'ui/IssueRow.tsx', 'ui/LinkItem.tsx', 'ui/LinkExisting.tsx', 'ui/CreateButton.tsx',
      'ui/StatusBadge.tsx', 'ui/Assignee.tsx', 'ui/error-message.ts', 'widget.ts', 'callbacks/load-settings.ts'];
    for (const file of sources) {
      const text = readFileSync(join(root, 'widget/src', file), 'utf8');
      for (const match of text.matchAll(/\bt\('([a-z_0-9]+)'/g)) used.add(`panel.${match[1]}`);
      for (const match of text.matchAll(/'(settings_loading|settings_load_failed)'/g)) used.add(`panel.${match[1]}`);
    }
    expect(used.size).toBeGreaterThan(30);
    for (const p of [0, 1, 2, 3, 4]) used.add(`panel.priority_${p}`);
    expect([...used].filter((key) => !english.includes(key))).toEqual([]);
  });

  it('has every settings page key used in widget/src/settings', () => {
    const used = new Set<string>();
    const dir = join(root, 'widget/src/settings');
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const match of text.matchAll(/\bt\('([a-z_0-9]+)'/g)) used.add(`settings_page.${match[1]}`);
      // Keys picked from tables: ['created', 'note_created'], 'webhook_registered', …
      for (const match of text.matchAll(/'((?:note|webhook|field|priority|matched|value|pipelines)_[a-z_0-9]+)'/g)) {
        used.add(`settings_page.${match[1]}`);
      }
    }
    expect(used.size).toBeGreaterThan(90);
    expect([...used].filter((key) => !english.includes(key))).toEqual([]);
  });

  it.each([
    ['ru', 'Настройки Linear for Kommo', 'Сохранить', 'Добавить правило'],
    ['es', 'Ajustes de Linear for Kommo', 'Guardar', 'Añadir regla'],
    ['pt', 'Configurações do Linear for Kommo', 'Salvar', 'Adicionar regra'],
    ['tr', 'Linear for Kommo ayarları', 'Kaydet', 'Kural ekle'],
    ['id', 'Pengaturan Linear for Kommo', 'Simpan', 'Tambah aturan'],
  ] as const)('renders the settings page in %s', async (language, title, save, addRule) => {
    renderSettings(new FakeSettingsBackend(), language);
    expect(await screen.findByRole('button', { name: addRule })).toBeTruthy();
    expect(screen.getByRole('heading', { name: title })).toBeTruthy();
    expect(screen.getByRole('button', { name: save })).toBeTruthy();
  });
});
