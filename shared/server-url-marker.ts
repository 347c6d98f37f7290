/**
 * The server address baked into the widget's `script.js`. It is one string literal,
 * `<<LFK_SERVER_URL:https://…>>`, so the build and, later, a server handing out its own zip
 * (configured with its public address) change it with a text replacement, no rebuild. Plain
 * TypeScript with no Node imports: the widget reads the value with `serverUrlIn`, the build and the
 * server write it with `withServerUrl`.
 */

/** The marker as the widget source carries it: no address (the build writes one in). */
export const EMPTY_SERVER_URL_MARKER = '<<LFK_SERVER_URL:>>';

// Characters a normalized http(s) address can hold, minus quotes, backslash, `<`, `>`, `?` and `#`,
// so a value can neither leave the JavaScript string literal nor end the marker early.
const MARKER = /<<LFK_SERVER_URL:([A-Za-z0-9._~:/@!$&()*+,;=%[\]-]*)>>/g;
const VALUE = /^[A-Za-z0-9._~:/@!$&()*+,;=%[\]-]*$/;

export class ServerUrlError extends Error {
  override readonly name = 'ServerUrlError';
}

/**
 * `value` as the widget uses it: an http(s) URL with no credentials, query or fragment, and no
 * trailing slash (`https://lfk.example.com/base`). '' stays '' (no address). Throws
 * ServerUrlError saying what is wrong.
 */
export function normalizeServerUrl(value: string, what = 'The server address'): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ServerUrlError(`${what} "${trimmed}" is not a URL; write it like https://linear-kommo.yourcompany.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ServerUrlError(`${what} "${trimmed}" must start with https:// (or http://)`);
  if (url.username || url.password) throw new ServerUrlError(`${what} must not contain a user name or password`);
  if (url.search || url.hash) throw new ServerUrlError(`${what} "${trimmed}" must not have a query (?…) or fragment (#…)`);
  const normalized = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  if (!VALUE.test(normalized)) throw new ServerUrlError(`${what} "${trimmed}" holds characters a widget address cannot carry (quotes, backslashes)`);
  return normalized;
}

/** The address in the first marker of `text`; '' for an empty marker, undefined when there is none. */
export function serverUrlIn(text: string): string | undefined {
  return new RegExp(MARKER.source).exec(text)?.[1];
}

/** How many markers `text` holds (a built script.js holds exactly one). */
export function countServerUrlMarkers(text: string): number {
  return text.match(MARKER)?.length ?? 0;
}

/**
 * `text` (a built `script.js`) with the baked address replaced by `serverUrl` ('' removes it).
 * Throws ServerUrlError when the address is not valid or the text holds no marker or several (an
 * old or foreign build: patching it would change nothing, or the wrong thing).
 */
export function withServerUrl(text: string, serverUrl: string): string {
  const value = normalizeServerUrl(serverUrl);
  const count = countServerUrlMarkers(text);
  if (count !== 1) throw new ServerUrlError(`Expected exactly one server address marker (<<LFK_SERVER_URL:…>>) in the file, found ${count}`);
  return text.replace(MARKER, () => `<<LFK_SERVER_URL:${value}>>`);
}
