/**
 * One HTTP call to Kommo API v4: throttled, timed out, and its failure classified into a coded
 * error (401/402/403/404/400 permanent; 429, 5xx, network and timeouts retryable).
 */
import type { z } from 'zod';
import { AppError } from '../errors';
import { ProblemSchema, describeParseError } from './schemas';

export interface KommoRequestDeps {
  baseUrl: string;
  accessToken: () => Promise<string>;
  /** After a 401: a fresh token to retry with once (OAuth installs); absent for long-lived tokens. */
  renewToken?: (stale: string) => Promise<string>;
  /** Waits for a rate-limit slot of this account (≤ 7 requests/second across processes). */
  throttle: () => Promise<void>;
  timeoutMs: number;
  /** Observes each call for metrics: method, outcome and duration. */
  onCall?: (call: { method: string; path: string; status: number | 'error'; ms: number }) => void;
}

export interface KommoRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
}

export type KommoSend = <S extends z.ZodType>(req: KommoRequest, schema: S) => Promise<z.infer<S> | undefined>;

/** Returns the parsed body, or undefined for Kommo's 204 "no content" (e.g. an empty list). */
export function createKommoSend(deps: KommoRequestDeps): KommoSend {
  return async (req, schema) => {
    const url = new URL(`${deps.baseUrl}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, String(v));
    const token = await deps.accessToken();
    let answer = await attempt(deps, req, url, token);
    if (answer.status === 401 && deps.renewToken) answer = await attempt(deps, req, url, await deps.renewToken(token));
    return interpret(req, answer, schema);
  };
}

interface Answer {
  status: number;
  text: string;
  retryAfter: string | null;
}

async function attempt(deps: KommoRequestDeps, req: KommoRequest, url: URL, token: string): Promise<Answer> {
  await deps.throttle();
  const started = performance.now();
  const observe = (status: number | 'error') => deps.onCall?.({ method: req.method, path: req.path, status, ms: performance.now() - started });
  let response: Response;
  try {
    response = await fetch(url, {
      method: req.method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/hal+json, application/json',
        ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
  } catch (error) {
    observe('error');
    throw new AppError(
      'kommo_unavailable',
      isTimeout(error) ? `Kommo did not answer ${req.method} ${req.path} within ${deps.timeoutMs} ms` : `Kommo could not be reached (${req.method} ${req.path})`,
      { cause: error },
    );
  }
  try {
    const text = await response.text();
    observe(response.status);
    return { status: response.status, text, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    observe('error');
    throw new AppError('kommo_unavailable', `Kommo stopped sending its answer to ${req.method} ${req.path}`, { cause: error });
  }
}

function interpret<S extends z.ZodType>(req: KommoRequest, answer: Answer, schema: S): z.infer<S> | undefined {
  if (answer.status < 200 || answer.status >= 300) throw kommoError(answer.status, req, answer.text, answer.retryAfter);
  if (answer.status === 204 || answer.text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch (cause) {
    throw new AppError('kommo_unavailable', `Kommo answered ${req.method} ${req.path} with a body that is not JSON`, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('kommo_rejected', `Kommo's answer to ${req.method} ${req.path} has an unexpected shape ${describeParseError(parsed.error)}`, {
      retryable: false,
    });
  }
  return parsed.data;
}

function kommoError(status: number, req: KommoRequest, body: string, retryAfter: string | null): AppError {
  const what = `${req.method} ${req.path}`;
  const detail = problemDetail(body);
  if (status === 401) return new AppError('kommo_unauthorized', `Kommo refused the access token (${what}); reconnect the Kommo account or renew the long-lived token`);
  if (status === 402) {
    return new AppError('kommo_account_unpaid', `Kommo refused ${what} because the account's subscription is unpaid (HTTP 402); once it is paid in Kommo, the waiting deals are processed`);
  }
  if (status === 403) return new AppError('kommo_forbidden', `Kommo denied ${what}${detail}; check the integration's scopes and the user's rights`);
  if (status === 404) return new AppError('kommo_not_found', `Kommo has no such record (${what})`);
  if (status === 429) {
    const seconds = Number(retryAfter);
    return new AppError('kommo_rate_limited', `Kommo rate limit hit on ${what}`, {
      retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
    });
  }
  if (status >= 500) return new AppError('kommo_unavailable', `Kommo failed with HTTP ${status} on ${what}`);
  return new AppError('kommo_rejected', `Kommo rejected ${what} with HTTP ${status}${detail}`);
}

function problemDetail(body: string): string {
  try {
    const p = ProblemSchema.safeParse(JSON.parse(body));
    if (!p.success) return '';
    const first = p.data['validation-errors']?.[0]?.errors?.[0];
    if (first) return `: ${first.path ?? ''} ${first.detail ?? ''}`.trimEnd();
    return p.data.detail ? `: ${p.data.detail}` : '';
  } catch {
    return '';
  }
}

/** By name, not instanceof: DOMException classes differ between realms (and under jest). */
export function isTimeout(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'TimeoutError' || name === 'AbortError';
}
