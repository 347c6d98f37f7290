/**
 * The host's HTML shells. The page script (public/host.js) reads `KOMMO_HOST_BOOT.page`:
 * - `card`: fills the deal card from `/_host/api/leads/:id` and loads the widget into the sidebar;
 * - `widgets`: Settings → Integrations, where the widget's tile opens Kommo's settings modal
 *   (`settings($modal_body)`);
 * - `advanced_settings`: the widget's own settings page (`/settings/widgets/<code>/`), a
 *   `#work-area-<code>` where Kommo calls `advancedSettings`.
 */
import type { HostUser } from './server';

export type HostPageKind = 'card' | 'widgets' | 'advanced_settings';

export interface PageBoot {
  page: HostPageKind;
  /** The open deal; 0 outside a card. */
  leadId: number;
  language: string;
  isAdmin: boolean;
  user: HostUser;
  account: { id: number; subdomain: string };
  widget: { code: string; path: string; serverUrl: string };
  nav: HostNav;
  /** Trusted HTML from the host's options, added to <head>. */
  headHtml: string;
}

/** JSON that is safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface HostNav {
  leads?: string;
  linear?: string;
  activity?: string;
  /** Settings → Integrations; drawn only when given. */
  settings?: string;
}

type NavKey = keyof HostNav;

/** Kommo's dark left menu; links that the host does not have are drawn inert. */
export function leftMenu(nav: HostNav, active: NavKey): string {
  const item = (key: NavKey, icon: string, label: string) => {
    const href = nav[key];
    const cls = `kh-nav__item${key === active ? ' kh-nav__item--active' : ''}`;
    return href
      ? `<a class="${cls}" href="${escapeHtml(href)}" data-nav="${key}"><span class="kh-nav__icon">${icon}</span>${label}</a>`
      : `<span class="${cls} kh-nav__item--off"><span class="kh-nav__icon">${icon}</span>${label}</span>`;
  };
  return `<nav class="kh-nav" aria-label="Main menu">
  <div class="kh-nav__logo">k</div>
  ${item('leads', '▤', 'Leads')}
  ${item('linear', '◆', 'Linear')}
  ${item('activity', '≡', 'Activity')}
  ${nav.settings ? item('settings', '⚙', 'Settings') : ''}
</nav>`;
}

export function renderCardPage(boot: PageBoot): string {
  return `<!doctype html>
<html lang="${escapeHtml(boot.language)}">
<head>
${head(boot, `Deal #${boot.leadId} · Kommo`)}
</head>
<body class="kh-body">
${leftMenu(boot.nav, 'leads')}
<main class="kh-card" id="card" data-lead-id="${boot.leadId}">
  <section class="kh-card__left" aria-label="Deal">
    <div class="kh-card__top">
      ${boot.nav.leads ? `<a class="kh-back" href="${escapeHtml(boot.nav.leads)}" data-nav="leads">← Leads</a>` : '<span class="kh-back">Leads</span>'}
      <span class="kh-card__id">#${boot.leadId}</span>
    </div>
    <h1 class="kh-card__name" data-testid="deal-name">…</h1>
    <div class="kh-stages" data-testid="deal-stages"></div>
    <div class="kh-tabs"><span class="kh-tab kh-tab--active">Main</span><span class="kh-tab">Stats</span><span class="kh-tab">Files</span></div>
    <dl class="kh-fields" data-testid="deal-fields"></dl>
    <div class="kh-contact" data-testid="deal-contact"></div>
  </section>
  <section class="kh-feed" aria-label="Feed">
    <div class="kh-feed__head">Feed</div>
    <ol class="kh-notes" data-testid="deal-notes"></ol>
    <div class="kh-feed__compose">Note: type here…</div>
  </section>
  <aside class="kh-sidebar" aria-label="Widgets">
    <div class="kh-sidebar__head">Widgets</div>
    <div class="kh-sidebar__widgets" id="card_widgets"></div>
  </aside>
</main>
</body>
</html>`;
}

function head(boot: PageBoot, title: string): string {
  return `<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/_host/static/host.css">
<script>window.KOMMO_HOST_BOOT = ${scriptJson(boot)};</script>
<script src="/_host/vendor/require.js"></script>
<script src="/_host/static/host.js" defer></script>
${boot.headHtml}`;
}

/**
 * Settings → Integrations: the installed widget's tile; clicking it opens Kommo's settings modal
 * (the manifest's `server_url` field, then whatever the widget's `settings($modal_body)` adds).
 */
export function renderWidgetsPage(boot: PageBoot): string {
  const code = escapeHtml(boot.widget.code);
  return `<!doctype html>
<html lang="${escapeHtml(boot.language)}">
<head>
${head(boot, 'Integrations · Kommo')}
</head>
<body class="kh-body">
${leftMenu(boot.nav, 'settings')}
<main class="kh-settings" id="widgets-page">
  <h1 class="kh-settings__title">Integrations</h1>
  <div class="kh-tiles">
    <button type="button" class="kh-tile" data-testid="widget-tile" data-code="${code}">
      <img class="kh-tile__logo" src="${escapeHtml(boot.widget.path)}/images/logo_main.png" alt="">
      <span class="kh-tile__name" data-role="widget-name">${code}</span>
      <span class="kh-tile__state">Installed</span>
    </button>
  </div>
</main>
<div class="kh-modal-overlay" id="widget-modal" data-testid="widget-modal" role="dialog" aria-modal="true" aria-labelledby="widget-modal-title" hidden>
  <div class="kh-modal">
    <div class="kh-modal__head">
      <h2 class="kh-modal__title" id="widget-modal-title" data-role="widget-name">${code}</h2>
      <button type="button" class="kh-modal__close" data-role="modal-close" aria-label="Close">×</button>
    </div>
    <div class="kh-modal__body widget_settings_block" data-testid="widget-modal-body">
      <div class="widget_settings_block__fields" data-role="fields"></div>
    </div>
  </div>
</div>
</body>
</html>`;
}

/** The widget's advanced settings page: Kommo's frame around `#work-area-<code>`. */
export function renderAdvancedSettingsPage(boot: PageBoot): string {
  const code = escapeHtml(boot.widget.code);
  return `<!doctype html>
<html lang="${escapeHtml(boot.language)}">
<head>
${head(boot, 'Settings · Kommo')}
</head>
<body class="kh-body">
${leftMenu(boot.nav, 'settings')}
<main class="kh-settings kh-settings--advanced">
  <div class="kh-settings__crumbs">${boot.nav.settings ? `<a href="${escapeHtml(boot.nav.settings)}" data-nav="settings">Integrations</a>` : 'Integrations'} › <span data-role="widget-name">${code}</span></div>
  <div class="work-area kh-work-area" id="work-area-${code}" data-testid="work-area"></div>
</main>
</body>
</html>`;
}
