/**
 * Conditional GET for the deal card's live poll: the ETag is a hash of the answer, and the
 * answer is read from the database only, so "unchanged" costs one indexed read and no Linear
 * call. A matching `If-None-Match` gets 304 with no body (RFC 9110 §13.1.2,
 * https://www.rfc-editor.org/rfc/rfc9110#name-if-none-match).
 */
import { createHash } from 'node:crypto';
import type { Context } from 'koa';

/** A weak validator: equal JSON, whatever bytes a proxy's compression puts on the wire. */
export function etagOf(body: unknown): string {
  return `W/"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
}

/** Weak comparison (RFC 9110 §8.8.3.2): `W/"x"` matches `"x"`; `*` matches anything. */
export function matches(ifNoneMatch: string, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/**
 * Answers `body` with its ETag, or 304 when the caller already has it. `no-cache`: the browser
 * may keep the answer but must ask again each time, so a poll never sees a stale copy.
 */
export function answerConditionally(ctx: Context, body: unknown): void {
  const etag = etagOf(body);
  ctx.set('Cache-Control', 'private, no-cache');
  ctx.set('ETag', etag);
  // Not Koa's `ctx.fresh`: it ignores If-None-Match when the request says `Cache-Control:
  // no-cache`, which fetch adds to every conditional request it did not make itself
  // (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch); that directive is for caches.
  if (matches(ctx.get('if-none-match'), etag)) {
    ctx.status = 304;
    return;
  }
  ctx.body = body;
}
