/**
 * Mounted Preact roots. Kommo re-renders the card without telling the widget's components, so
 * every root is recorded and `unmountAll` runs on `destroy` and on `page:changed` (what Kommo's
 * own React template does: kommo-crm/create-kommo-integration vendor/Integration.ts).
 */
import { render, type ComponentChild } from 'preact';
import { ensureStyles } from './ui/styles';

const roots = new Map<Element, () => void>();

/** Renders `vnode` into `element` (replacing what was there) and remembers it for unmounting. */
export function mount(element: Element, vnode: ComponentChild): void {
  ensureStyles(element.ownerDocument);
  render(vnode, element);
  roots.set(element, () => render(null, element));
}

/** Remembers a root rendered by someone else (settings.js has its own Preact) for unmounting. */
export function track(element: Element, unmount: () => void): void {
  roots.set(element, unmount);
}

/** Unmounts one root. */
export function unmount(element: Element): void {
  roots.get(element)?.();
  roots.delete(element);
}

/** Unmounts every root, running effect cleanups (timers, polling). */
export function unmountAll(): void {
  for (const unmount of roots.values()) unmount();
  roots.clear();
}

/** How many roots are mounted; for tests. */
export function mountedCount(): number {
  return roots.size;
}
