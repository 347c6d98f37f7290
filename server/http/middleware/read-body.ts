/** Reads a request body as raw bytes with a size limit; webhook routes verify or parse these bytes. */
import getRawBody from 'raw-body';
import type { Context } from 'koa';
import { AppError } from '../../errors';

export const MAX_BODY_BYTES = 1024 * 1024;

export async function readRawBody(ctx: Context, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(ctx.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    throw new AppError('payload_too_large', `The body is ${declared} bytes; the limit is ${limit} bytes`);
  }
  try {
    return await getRawBody(ctx.req, { limit });
  } catch (error) {
    if (typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.too.large') {
      throw new AppError('payload_too_large', `The body is larger than ${limit} bytes`);
    }
    throw new AppError('bad_request', 'The request body could not be read completely', { cause: error });
  }
}

/** The media type without parameters, lower-cased ('' when absent). */
export function mediaType(ctx: Context): string {
  return (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
}
