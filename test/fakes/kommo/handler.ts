import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'qs';
import { faultReply, type FaultInjector } from './faults';
import { hal, problem, readBody, writeReply, type Reply } from './http';
import type { OAuthServer } from './oauth';
import type { RouteContext, Router } from './router';
import type { ApiSite } from './serialize';
import type { KommoStore } from './store';
import type { RecordedRequest, Traffic } from './traffic';
import type { AccountSettings } from './types';

/** What the request pipeline needs from the fake; the fake itself provides it. */
export interface Runtime {
  router: Router;
  store: KommoStore;
  site: ApiSite;
  account: AccountSettings;
  oauth: OAuthServer;
  flags: { webhooksForbidden: boolean };
  faults: FaultInjector;
  traffic: Traffic;
  delayMs: number;
  rateLimitPerSecond: number | undefined;
  /** Aborted on close, so delayed requests stop waiting. */
  lifetime: AbortSignal;
}

type ParsedBody = { ok: true; value: unknown } | { ok: false };

function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw.trim() === '') return { ok: true, value: undefined };
  if (contentType?.includes('application/x-www-form-urlencoded')) return { ok: true, value: parse(raw) };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function dispatch(rt: Runtime, req: IncomingMessage, entry: RecordedRequest, body: ParsedBody): Reply {
  const match = rt.router.match(entry.method, entry.path);
  if (match.kind === 'none') return problem(404, `No route for ${entry.method} ${entry.path}`);
  if (match.kind === 'wrong-method') return problem(405, `${entry.method} is not allowed on ${entry.path}`);
  if (entry.path.startsWith('/api/v4/')) {
    const token = bearer(req);
    if (token === undefined || !rt.oauth.accepts(token)) return problem(401, token === undefined ? 'Authorization header is missing' : 'Access token is invalid or expired');
  }
  if (!body.ok) return problem(400, 'Malformed JSON in request body');
  const ctx: RouteContext = { store: rt.store, site: rt.site, account: rt.account, oauth: rt.oauth, flags: rt.flags, id: match.id, subId: match.subId, query: entry.query, body: body.value };
  try {
    return match.route.handler(ctx);
  } catch (error) {
    return problem(500, `Fake Kommo bug: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function handleRequest(rt: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const time = Date.now();
  const url = new URL(req.url ?? '/', rt.site.base);
  const entry: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: parse(url.search.slice(1)), body: undefined, status: null, time };
  rt.traffic.record(entry);
  const limited = rt.rateLimitPerSecond !== undefined && entry.path.startsWith('/api/v4/') && rt.traffic.overLimit(rt.rateLimitPerSecond, time);
  const fault = limited ? undefined : rt.faults.take(entry.method, entry.path);
  const body = parseBody(await readBody(req), req.headers['content-type']);
  if (body.ok) entry.body = body.value;
  const delayMs = rt.delayMs + (fault?.kind === 'slow' ? fault.ms : 0);
  if (delayMs > 0) {
    try {
      await sleep(delayMs, undefined, { signal: rt.lifetime });
    } catch {
      return;
    }
  }
  // The socket stays open until the client gives up or the fake closes.
  if (fault?.kind === 'timeout') return;
  let reply: Reply;
  if (limited) reply = problem(429, 'Too many requests');
  else if (fault && 'status' in fault) reply = faultReply(fault);
  else if (fault?.kind === 'body') reply = hal(fault.json);
  else reply = dispatch(rt, req, entry, body);
  if (fault?.kind === 'after-commit-500') reply = problem(500, 'Internal error after the change was saved');
  if (fault?.kind === 'reshape' && reply.status < 300 && reply.body !== undefined && typeof reply.body !== 'string') reply = { ...reply, body: fault.reshape(reply.body) };
  entry.status = reply.status;
  writeReply(res, reply);
}
