/**
 * The server address marker in script.js: read by the widget, written by the build and (later) by
 * a server that hands out its own zip. A bad address or a file without exactly one marker is
 * refused with a message, never patched half-way.
 */
import {
  countServerUrlMarkers,
  EMPTY_SERVER_URL_MARKER,
  normalizeServerUrl,
  ServerUrlError,
  serverUrlIn,
  withServerUrl,
} from '../../shared/server-url-marker';

const script = `define(["jquery"],e=>{const a=${JSON.stringify(EMPTY_SERVER_URL_MARKER)};return function(){return a}});`;

describe('server address marker', () => {
  it('is empty in the source and reads back what was written', () => {
    expect(serverUrlIn(EMPTY_SERVER_URL_MARKER)).toBe('');
    const patched = withServerUrl(script, 'https://lfk.acme.io/base/');
    expect(serverUrlIn(patched)).toBe('https://lfk.acme.io/base');
    expect(patched).toBe(script.replace('<<LFK_SERVER_URL:>>', '<<LFK_SERVER_URL:https://lfk.acme.io/base>>'));
  });

  it('replaces an address already baked in, and removes it with an empty one', () => {
    const once = withServerUrl(script, 'https://first.example.net');
    const twice = withServerUrl(once, 'http://127.0.0.1:3000');
    expect(serverUrlIn(twice)).toBe('http://127.0.0.1:3000');
    expect(countServerUrlMarkers(twice)).toBe(1);
    expect(withServerUrl(twice, '')).toBe(script);
  });

  it('keeps the patched file valid JavaScript that yields the address', () => {
    const patched = withServerUrl(script, 'https://lfk.acme.io:8443/x');
    let factory: (() => () => string) | undefined;
    new Function('define', patched)((_deps: string[], make: () => () => string) => (factory = make));
    expect(serverUrlIn(factory?.()() ?? '')).toBe('https://lfk.acme.io:8443/x');
  });

  it.each([
    ['lfk.acme.io', 'is not a URL'],
    ['ftp://lfk.acme.io', 'must start with https://'],
    ['https://user:pw@lfk.acme.io', 'user name or password'],
    ['https://lfk.acme.io/?a=1', 'query'],
    ['https://lfk.acme.io/#top', 'fragment'],
    ["https://lfk.acme.io/it's", 'quotes'],
  ])('refuses %s', (value, message) => {
    expect(() => normalizeServerUrl(value)).toThrow(ServerUrlError);
    expect(() => withServerUrl(script, value)).toThrow(message);
  });

  it('refuses a file with no marker or with several', () => {
    expect(() => withServerUrl('define([],function(){})', 'https://lfk.acme.io')).toThrow('found 0');
    expect(() => withServerUrl(script + script, 'https://lfk.acme.io')).toThrow('found 2');
  });
});
