/**
 * Mounted Preact roots. Kommo re-renders the card without telling the widget's components, so
 * every root is recorded and `unmountAll` runs on `destroy` and on `page:changed` (what Kommo's
 * own React template does: kommo-crm/create-kommo-integration vendor/Integration.ts).
 */
import { render, type ComponentChild } from 'preact';
import { ensureStyles } from './ui/styles';

const roots = new Set<Element>();

/** Renders `vnode` into `element` (replacing what was there) and remembers it for unmounting. */
export function mount(element: Element, vnode: ComponentChild): void {
  ensureStyles(element.ownerDocument);
  render(vnode, element);
  roots.add(element);
}

/** Unmounts every root, running effect cleanups (timers, polling). */
export function unmountAll(): void {
  for (const element of roots) render(null, element);
  roots.clear();
}

/** How many roots are mounted; for tests. */
export function mountedCount(): number {
  return roots.size;
}
