/**
 * What the callbacks of one widget instance share: the host facade, the page, Kommo's jQuery, and
 * the page generation that `page:changed` and `destroy` bump (so a settings.js that arrives after
 * the user left the page mounts nothing).
 */
import { h, type ComponentChild } from 'preact';
import { createKommoHost, type KommoHost } from '../host/kommo-host';
import type { JQueryLike, KommoApp, KommoSelf } from '../host/kommo-types';
import { unmountAll } from '../mount';
import { createUi, UiContext } from '../ui/context';

export interface WidgetScope {
  host: KommoHost;
  doc: Document;
  $: JQueryLike;
  /** The current page generation. */
  generation(): number;
  /** The `page:changed` handler (one function, so `off` removes what `on` added): unmounts everything. */
  leavePage(): void;
  /** `child` inside the card's UI context (strings in the user's language). */
  withUi(child: ComponentChild): ComponentChild;
}

/** Builds the scope; the host reads `self` lazily, because Kommo adds its methods after `new`. */
export function createWidgetScope(self: KommoSelf, $: JQueryLike, doc: Document): WidgetScope {
  const host = createKommoHost(self, () => (doc.defaultView as (Window & { APP?: KommoApp }) | null)?.APP, doc);
  let generation = 0;
  return {
    host,
    doc,
    $,
    generation: () => generation,
    leavePage() {
      generation += 1;
      unmountAll();
    },
    withUi: (child) => h(UiContext.Provider, { value: createUi(host.language(), host.strings('panel')) }, child),
  };
}
