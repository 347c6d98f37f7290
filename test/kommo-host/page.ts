/**
 * The deal card's HTML shell. The page script (public/host.js) fills the card from
 * `/_host/api/leads/:id` and loads the widget into the right sidebar.
 */
import type { HostUser } from './server';

export interface PageBoot {
  leadId: number;
  language: string;
  isAdmin: boolean;
  user: HostUser;
  account: { id: number; subdomain: string };
  widget: { code: string; path: string; serverUrl: string };
  nav: { leads?: string; linear?: string; activity?: string };
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

/** Kommo's dark left menu; links that the host does not have are drawn inert. */
export function leftMenu(nav: PageBoot['nav'], active: 'leads' | 'linear' | 'activity'): string {
  const item = (key: 'leads' | 'linear' | 'activity', icon: string, label: string) => {
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
</nav>`;
}

export function renderCardPage(boot: PageBoot): string {
  return `<!doctype html>
<html lang="${escapeHtml(boot.language)}">
<head>
<meta charset="utf-8">
<title>Deal #${boot.leadId} · Kommo</title>
<link rel="stylesheet" href="/_host/static/host.css">
<script>window.KOMMO_HOST_BOOT = ${scriptJson(boot)};</script>
<script src="/_host/vendor/require.js"></script>
<script src="/_host/static/host.js" defer></script>
${boot.headHtml}
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
