/**
 * Reads a request body as raw bytes with a size limit and a deadline; webhook routes verify or
 * parse these bytes. The deadline stops a client that trickles its body from holding a request
 * for the whole request timeout.
 */
import getRawBody from 'raw-body';
import type Koa from 'koa';
import type { Context } from 'koa';
import { AppError } from '../../errors';

export const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 10_000;

const bodyTimeouts = new WeakMap<Koa, number>();

/** The app's deadline for reading one body (HTTP_BODY_TIMEOUT_SECONDS). */
export function setBodyTimeout(app: Koa, ms: number): void {
  bodyTimeouts.set(app, ms);
}

export async function readRawBody(ctx: Context, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(ctx.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    throw new AppError('payload_too_large', `The body is ${declared} bytes; the limit is ${limit} bytes`);
  }
  const timeoutMs = bodyTimeouts.get(ctx.app) ?? DEFAULT_BODY_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // The rest of the body is never read: answer, then close the connection.
      ctx.req.unpipe();
      ctx.req.pause();
      ctx.set('Connection', 'close');
      reject(new AppError('request_timeout', `The request body did not arrive within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
  });
  const reading = getRawBody(ctx.req, { limit });
  // Once the deadline has answered, a late failure of the abandoned read is not an error.
  reading.catch(() => undefined);
  try {
    return await Promise.race([reading, deadline]);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.too.large') {
      throw new AppError('payload_too_large', `The body is larger than ${limit} bytes`);
    }
    throw new AppError('bad_request', 'The request body could not be read completely', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** The media type without parameters, lower-cased ('' when absent). */
export function mediaType(ctx: Context): string {
  return (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
}
