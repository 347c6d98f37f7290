/** Why a backend call failed, in the terms the panel shows to the user. */
export type BackendErrorKind =
  | 'unauthorized' // 401: Kommo's one-time token was refused
  | 'timeout'
  | 'network'
  | 'server' // any other 4xx/5xx; `message` comes from the ErrorBody when there is one
  | 'invalid_response' // 2xx whose body does not match the shared schema
  | 'no_server'; // the `server_url` setting is empty

/** A failed backend call. Components read `kind` (and `message` for `server`), never raw XHRs. */
export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly status = 0,
    readonly code: string = kind,
    /** The request field the error is about, as a dotted path (`rules.0.team`), when the server says. */
    readonly field?: string,
    /** `installation_disabled`: when it was disabled (ISO time). */
    readonly disabledAt?: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

/** Anything thrown by a call, as a BackendError (unknown failures count as network errors). */
export function toBackendError(error: unknown): BackendError {
  return error instanceof BackendError ? error : new BackendError('network', String(error));
}
