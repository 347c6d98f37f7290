/** Request input for JSON APIs: a size-limited JSON body, and schema parsing that names the wrong field. */
import type { Context } from 'koa';
import { AppError } from '../errors';
import { mediaType, readRawBody } from './middleware/read-body';

const MAX_JSON_BYTES = 64 * 1024;

interface SafeParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ message: string; path: ReadonlyArray<PropertyKey> }> } };
}

/** Parses `value`; a failure is a 400 whose `field` is the dotted path of the first problem. */
export function parse<T>(schema: SafeParser<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const sub = issue?.path.map(String).join('.');
  throw new AppError('bad_request', issue?.message ?? `${field} is invalid`, { field: sub ? sub : field });
}

export async function readJson(ctx: Context, limit = MAX_JSON_BYTES): Promise<unknown> {
  if (mediaType(ctx) !== 'application/json') throw new AppError('unsupported_media_type', 'Send the body as application/json');
  const raw = (await readRawBody(ctx, limit)).toString('utf8');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON');
  }
}
