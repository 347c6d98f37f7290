/**
 * Settings page ↔ server API of the backfill (admins only, `/api/widget/backfill`): count the
 * deals of a date range that would get issues, start, follow and cancel the run.
 */
import * as z from 'zod/mini';

const Day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-01-01'));

export const BackfillRequestSchema = z.object({
  /** The first day (UTC) of the range. */
  since: Day,
  /** The last day (UTC), inclusive; open-ended when absent. */
  until: z.optional(Day),
});
export type BackfillRequest = z.infer<typeof BackfillRequestSchema>;

export const BackfillCandidateSchema = z.object({ leadId: z.number(), linkKey: z.string(), name: z.string() });

export const BackfillDryRunResponseSchema = z.object({ count: z.number(), first: z.array(BackfillCandidateSchema) });
export type BackfillDryRunResponse = z.infer<typeof BackfillDryRunResponseSchema>;

export const BackfillRunViewSchema = z.object({
  id: z.string(),
  since: z.string(),
  until: z.nullable(z.string()),
  status: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** Every deal found: `total` is final. */
  listed: z.boolean(),
  total: z.number(),
  done: z.number(),
  errors: z.number(),
  errorMessage: z.nullable(z.string()),
});
export type BackfillRunView = z.infer<typeof BackfillRunViewSchema>;

export const BackfillStatusResponseSchema = z.object({ run: z.nullable(BackfillRunViewSchema) });
export type BackfillStatusResponse = z.infer<typeof BackfillStatusResponseSchema>;
