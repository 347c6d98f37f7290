/**
 * Column types as the drivers hand them over, parsed with zod so that a repository maps a row
 * instead of casting it: pg gives bigint as a string and timestamps as Dates, PGlite may differ,
 * and jsonb may arrive parsed or as text.
 */
import { z } from 'zod';
import { AppError } from '../errors';

export const timestamp = z.union([z.date(), z.string(), z.number()]).transform((v) => new Date(v));
export const nullableTimestamp = timestamp.nullish().transform((v) => v ?? null);
/** bigint and numeric columns, as numbers. */
export const integer = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().finite());
export const nullableInteger = integer.nullish().transform((v) => v ?? null);
export const nullableText = z.string().nullish().transform((v) => v ?? null);

/** A jsonb column holding `schema`. */
export function jsonb<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v), schema);
}

/** One row; a row that does not fit its schema is a bug (or a foreign write) named by its column. */
export function parseRow<S extends z.ZodType>(schema: S, row: unknown, table: string): z.infer<S> {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError('internal', `A ${table} row does not have the expected shape: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
}
