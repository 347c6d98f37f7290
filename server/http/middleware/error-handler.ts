/**
 * The one place where errors become HTTP answers and log lines: an AppError keeps its code and
 * message; anything else is a 500 whose details stay in the log.
 */
import type { Context, Next } from 'koa';
import { AppError, httpStatusOf, logLevelOf, toAppError } from '../../errors';
import type { Logger } from '../../log';
import { maskSecretPath } from '../../log';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { createLogSampler } from './log-sampler';

/** Lines per second per error code for refusals and outages; unexpected errors are all logged. */
const LOG_LINES_PER_SECOND = 10;

export function errorHandler(log: Logger) {
  const sampler = createLogSampler(LOG_LINES_PER_SECOND);
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } catch (thrown) {
      const error =
        fromKoa(thrown) ??
        (isDatabaseUnavailable(thrown)
          ? new AppError('unavailable', 'The database is unreachable right now; try again shortly', { cause: thrown })
          : toAppError(thrown));
      const status = httpStatusOf(error);
      const level = logLevelOf(error);
      const sample = level === 'error' ? { log: true, suppressed: 0 } : sampler.take(error.code);
      if (sample.log) {
        log[level](
          {
            method: ctx.method,
            path: maskSecretPath(ctx.path),
            status,
            code: error.code,
            ...(sample.suppressed > 0 ? { suppressedSinceLastLine: sample.suppressed } : {}),
            ...(level === 'error' ? { err: thrown } : {}),
          },
          error.message,
        );
      }
      ctx.status = status;
      ctx.body = {
        error: {
          code: error.code,
          // Unexpected failures do not reveal internals to the caller.
          message: error.code === 'internal' ? 'Something went wrong on our side; it has been logged' : error.message,
          ...(error.field ? { field: error.field } : {}),
          ...error.details,
        },
      };
    }
  };
}

/** Errors thrown by Koa itself or by raw-body (size limits, aborted requests) carry a status. */
function fromKoa(thrown: unknown): AppError | undefined {
  if (typeof thrown !== 'object' || thrown === null || !('status' in thrown)) return undefined;
  const status = Number((thrown as { status: unknown }).status);
  const type = 'type' in thrown ? (thrown as { type: unknown }).type : undefined;
  if (status === 413 || type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is larger than allowed');
  if (status === 400) return new AppError('bad_request', 'The request body could not be read');
  if (status === 415) return new AppError('unsupported_media_type', 'Unsupported content type');
  return undefined;
}
