/**
 * Kommo's `render` callback: in a deal card (`lcard`), draws the "Linear" block into the sidebar
 * and mounts the panel. Returns true in every area, or Kommo skips `init` and `bind_actions`
 * (https://developers.kommo.com/docs/script-js).
 */
import { h } from 'preact';
import { createBackend } from '../api/backend';
import { mount, unmountAll } from '../mount';
import { Panel } from '../ui/Panel';
import type { WidgetScope } from './scope';

export const BLOCK_CLASS = 'lfk-card-block';

export function render({ host, withUi }: WidgetScope): boolean {
  const leadId = host.leadId();
  if (host.area() !== 'lcard' || leadId === null) return true;
  unmountAll();
  const element = host.renderBlock(BLOCK_CLASS);
  if (!element) return true;
  const backend = createBackend(host.authorizedRequest, host.serverUrl);
  mount(element, withUi(h(Panel, { backend, leadId, settingsUrl: host.settingsUrl() })));
  return true;
}
