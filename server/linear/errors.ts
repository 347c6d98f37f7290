/**
 * Maps @linear/sdk errors to our coded errors. The SDK picks its class from
 * `errors[0].extensions.type` of the GraphQL answer (`parseLinearError` in @linear/sdk's src/error.ts);
 * without a known type the error is `UnknownLinearError`, whatever `extensions.code` says.
 */
import { AppError } from '../errors';
import { isTimeout } from '../kommo/request';
import { loadedLinearSdk, type LinearSdk } from './sdk';

export function toLinearAppError(error: unknown, operation: string, timeoutMs: number): AppError {
  const sdk = loadedLinearSdk();
  const fromSdk = sdk ? sdkAppError(sdk, error, operation) : undefined;
  if (fromSdk) return fromSdk;
  const timedOut = isTimeout(error);
  return new AppError(
    'linear_unavailable',
    timedOut ? `Linear did not answer ${operation} within ${timeoutMs} ms` : `Linear could not be reached (${operation})`,
    { cause: error },
  );
}

function sdkAppError(sdk: LinearSdk, error: unknown, operation: string): AppError | undefined {
  const { AuthenticationLinearError, ForbiddenLinearError, GraphqlLinearError, InvalidInputLinearError, LinearError, RatelimitedLinearError } = sdk;
  if (error instanceof RatelimitedLinearError) {
    // Reset headers are epoch milliseconds (https://linear.app/developers/rate-limiting).
    const resetAt = Math.max(error.requestsResetAt ?? 0, error.complexityResetAt ?? 0);
    const fromReset = resetAt > 0 ? resetAt - Date.now() : 0;
    const fromRetryAfter = (error.retryAfter ?? 0) * 1000;
    const wait = Math.min(Math.max(fromReset, fromRetryAfter, 1000), 60 * 60 * 1000);
    return new AppError('linear_rate_limited', `Linear rate limit reached (${operation}); retrying in ${Math.ceil(wait / 1000)} s`, {
      cause: error,
      retryAfterMs: wait,
    });
  }
  if (error instanceof InvalidInputLinearError) {
    const notFound = /not found/i.test(error.message);
    return new AppError(notFound ? 'linear_not_found' : 'linear_invalid_input', `Linear rejected ${operation}: ${firstMessage(error)}`, {
      cause: error,
    });
  }
  if (error instanceof AuthenticationLinearError) {
    return new AppError('linear_unauthorized', 'Linear refused the API key; paste a valid key in the settings', { cause: error });
  }
  if (error instanceof ForbiddenLinearError) {
    return new AppError('linear_forbidden', `Linear denied ${operation}; the key's user lacks access to that team or feature`, {
      cause: error,
    });
  }
  if (error instanceof GraphqlLinearError) {
    return new AppError('linear_invalid_input', `Linear could not run ${operation}: ${firstMessage(error)}`, { cause: error });
  }
  if (error instanceof LinearError) {
    return new AppError('linear_unavailable', `Linear failed on ${operation} (HTTP ${error.status ?? '?'})`, { cause: error });
  }
  return undefined;
}

/** Linear's answer when our pre-generated issue id was already used: the issue exists. */
export function isAlreadyExists(error: AppError): boolean {
  return error.code === 'linear_invalid_input' && /already exists|conflict on insert/i.test(error.message);
}

function firstMessage(error: InstanceType<LinearSdk['LinearError']>): string {
  return error.errors?.[0]?.message ?? error.message;
}
