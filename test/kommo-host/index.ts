export { startKommoHost, DEFAULT_WIDGET_CODE, type KommoHost, type KommoHostOptions, type HostUser, type Lazy } from './server';
export { readCard, type CardView, type KommoApi } from './kommo-api';
export { escapeHtml, leftMenu, scriptJson, type HostNav, type HostPageKind } from './page';
