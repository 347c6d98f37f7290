/**
 * One authorized call to our server (`/api/widget`): the host's `$authorizedAjax` with a timeout,
 * the answer validated by a shared schema, any failure turned into a `BackendError`. Used by the
 * panel's client (backend.ts) and the settings page's (settings/api.ts).
 */
import { ErrorBodySchema, WIDGET_API_PREFIX } from '../../../shared/api';
import type { HostRequest, HostResponse } from '../host/kommo-host';
import { BackendError } from './backend-error';

export type Transport = (request: HostRequest) => Promise<HostResponse>;

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

export type Call = <T>(method: HostRequest['method'], path: string, schema: Parser<T> | null, body?: unknown) => Promise<T>;

function toError(response: HostResponse): BackendError {
  const { status, textStatus } = response;
  if (status === 401) return new BackendError('unauthorized', 'The widget token was refused', status);
  if (status === 0) {
    return textStatus === 'timeout'
      ? new BackendError('timeout', 'The server did not answer in time')
      : new BackendError('network', 'The server could not be reached');
  }
  const parsed = ErrorBodySchema.safeParse(response.body);
  if (!parsed.success) return new BackendError('server', `HTTP ${status}`, status);
  const { code, message, field, disabledAt } = parsed.data.error;
  return new BackendError('server', message, status, code, field, disabledAt);
}

/** Rejects with `timeout` if the host never settles (the ajax timeout is the first line). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new BackendError('timeout', 'The server did not answer in time')), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

type Send = (method: HostRequest['method'], path: string, body?: unknown, headers?: Record<string, string>) => Promise<HostResponse>;

/** Sends one request; anything but a 2xx (or a 304 to a conditional request) becomes a BackendError. */
function createSend(transport: Transport, baseUrl: () => string, timeoutMs: number): Send {
  return async (method, path, body, headers) => {
    const base = baseUrl();
    if (!base) throw new BackendError('no_server', 'The server_url setting is empty');
    const request: HostRequest = { method, url: `${base}${WIDGET_API_PREFIX}${path}`, timeoutMs };
    if (body !== undefined) request.body = body;
    if (headers) request.headers = headers;
    const response = await withDeadline(transport(request), timeoutMs + 1000);
    if (response.status === 304 && headers?.['If-None-Match']) return response;
    if (response.status < 200 || response.status >= 300) throw toError(response);
    return response;
  };
}

function parsed<T>(schema: Parser<T>, response: HostResponse, path: string): T {
  const result = schema.safeParse(response.body);
  if (!result.success) throw new BackendError('invalid_response', `Unexpected answer from ${path}`, response.status);
  return result.data;
}

/** A `call` bound to a transport and a server base URL (read lazily: settings can change). */
export function createCall(transport: Transport, baseUrl: () => string, timeoutMs = DEFAULT_TIMEOUT_MS): Call {
  const send = createSend(transport, baseUrl, timeoutMs);
  return async function call<T>(method: HostRequest['method'], path: string, schema: Parser<T> | null, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    return schema ? parsed(schema, response, path) : (undefined as T);
  };
}

/** What a conditional GET answered: the body and its ETag, or `unchanged` (304). */
export type Conditional<T> = { value: T; etag: string | null } | 'unchanged';
export type ConditionalGet = <T>(path: string, schema: Parser<T>, etag: string | null) => Promise<Conditional<T>>;

/** A GET that sends `If-None-Match` when it has an ETag, so an unchanged answer is a bodiless 304. */
export function createConditionalGet(transport: Transport, baseUrl: () => string, timeoutMs = DEFAULT_TIMEOUT_MS): ConditionalGet {
  const send = createSend(transport, baseUrl, timeoutMs);
  return async function get<T>(path: string, schema: Parser<T>, etag: string | null): Promise<Conditional<T>> {
    const response = await send('GET', path, undefined, etag ? { 'If-None-Match': etag } : undefined);
    if (response.status === 304) return 'unchanged';
    return { value: parsed(schema, response, path), etag: response.etag ?? null };
  };
}
