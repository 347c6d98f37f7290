import { stringify, type ParsedQs } from 'qs';
import { hal, noContent, type Reply } from './http';
import type { ApiSite } from './serialize';
import type { Json } from './types';

export const MAX_LIMIT = 250;

/** A query value as a single string (first element when repeated), or undefined. */
export function queryString(value: ParsedQs[string]): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** Every string in a value that qs may have parsed as a string, an array or an index-keyed object. */
export function queryStrings(value: ParsedQs[string]): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(',');
  const list: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return list.filter((v): v is string => typeof v === 'string');
}

/** Nested query objects (`filter[statuses][0][...]`), whether qs made an array or an object. */
export function queryObjects(value: ParsedQs[string]): ParsedQs[] {
  if (value === undefined || typeof value === 'string') return [];
  // qs turns indexes above its arrayLimit into object keys instead of array slots.
  const indexed = !Array.isArray(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => /^\d+$/.test(k));
  const list: unknown[] = Array.isArray(value) ? value : indexed ? Object.values(value) : [value];
  return list.filter((v): v is ParsedQs => typeof v === 'object' && v !== null && !Array.isArray(v));
}

export function queryObject(value: ParsedQs[string]): ParsedQs {
  return queryObjects(value)[0] ?? {};
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * One page of a collection as Kommo returns it; an empty page is 204 with no body,
 * which is the documented quirk clients must handle.
 */
export function pageReply(site: ApiSite, path: string, query: ParsedQs, key: string, items: Json[], withTotal = false): Reply {
  const limit = Math.min(positiveInt(queryString(query.limit), 50), MAX_LIMIT);
  const page = positiveInt(queryString(query.page), 1);
  const slice = items.slice((page - 1) * limit, page * limit);
  if (slice.length === 0) return noContent();
  const link = (p: number): Json => {
    // Keeps the caller's filters, as Kommo's own `next` links do.
    return { href: `${site.base}${path}?${stringify({ ...query, page: p, limit }, { encodeValuesOnly: true })}` };
  };
  const links: { [key: string]: Json } = { self: link(page) };
  if (page * limit < items.length) links.next = link(page + 1);
  if (page > 1) links.prev = link(page - 1);
  const body: { [key: string]: Json } = { _page: page, _links: links, _embedded: { [key]: slice } };
  if (withTotal) {
    body._total_items = items.length;
    body._page_count = Math.ceil(items.length / limit);
  }
  return hal(body);
}
