/**
 * Every failure the service knows about carries a stable code, whether a retry can help, and a
 * message a person can act on. `httpStatusOf` and `logLevelOf` are the one place that maps them.
 */
import type { KommoAccessProblem } from './domain/kommo-access';

export const ERROR_CODES = {
  bad_request: { status: 400, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  request_timeout: { status: 408, retryable: false },
  rate_limited: { status: 429, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  not_configured: { status: 409, retryable: false },
  installation_disabled: { status: 409, retryable: false },
  unavailable: { status: 503, retryable: true },
  internal: { status: 500, retryable: true },
  kommo_unauthorized: { status: 502, retryable: false },
  kommo_forbidden: { status: 502, retryable: false },
  kommo_account_unpaid: { status: 502, retryable: false },
  kommo_access_restricted: { status: 502, retryable: false },
  kommo_not_found: { status: 502, retryable: false },
  kommo_rejected: { status: 502, retryable: false },
  kommo_rate_limited: { status: 503, retryable: true },
  kommo_unavailable: { status: 503, retryable: true },
  linear_unauthorized: { status: 502, retryable: false },
  linear_forbidden: { status: 502, retryable: false },
  linear_invalid_input: { status: 502, retryable: false },
  linear_not_found: { status: 502, retryable: false },
  linear_rate_limited: { status: 503, retryable: true },
  linear_unavailable: { status: 503, retryable: true },
  /** Linear refused the OAuth grant (refresh refused, app removed): jobs wait for an admin to reconnect. */
  linear_reconnect_needed: { status: 409, retryable: false },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  cause?: unknown;
  /** Override the code's default, e.g. a 4xx that a retry later can fix. */
  retryable?: boolean;
  /** When a retry can succeed at the earliest (rate limits). */
  retryAfterMs?: number;
  /** The request field that is wrong, for 400 answers. */
  field?: string;
  /** Facts the caller shows in its own words (e.g. `disabledAt`), added to the answer's `error`. */
  details?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly field: string | undefined;
  readonly details: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.field = options.field;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Anything thrown that is not an AppError becomes an internal, retryable one. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('internal', `Unexpected error: ${message}`, { cause: error });
}

/**
 * The account-wide refusals: not this request's fault, so no job gives up on them; the
 * installation waits until Kommo answers again (domain/kommo-access.ts).
 */
export const KOMMO_ACCESS_CODES = {
  unpaid: 'kommo_account_unpaid',
  restricted: 'kommo_access_restricted',
  unauthorized: 'kommo_unauthorized',
} as const satisfies Record<KommoAccessProblem, ErrorCode>;

export function kommoAccessProblemOf(error: unknown): KommoAccessProblem | undefined {
  if (!isAppError(error)) return undefined;
  return (Object.keys(KOMMO_ACCESS_CODES) as KommoAccessProblem[]).find((problem) => KOMMO_ACCESS_CODES[problem] === error.code);
}

export function httpStatusOf(error: AppError): number {
  return ERROR_CODES[error.code].status;
}

export function logLevelOf(error: AppError): 'info' | 'warn' | 'error' {
  const status = httpStatusOf(error);
  if (status >= 500 && error.code === 'internal') return 'error';
  if (status >= 500) return 'warn';
  return 'info';
}
