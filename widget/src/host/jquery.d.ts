/** Kommo provides jQuery as the AMD module `jquery` (a webpack external); only events are used. */
declare module 'jquery' {
  interface DocumentEvents {
    on(events: string, handler: () => void): unknown;
    off(events: string, handler: () => void): unknown;
  }
  const $: (target: Document) => DocumentEvents;
  export default $;
}
