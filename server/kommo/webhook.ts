/**
 * Kommo account webhooks arrive form-encoded with bracketed keys (`leads[status][0][id]=…`).
 * They carry no signature (https://developers.kommo.com/docs/webhooks-general; only Chat API
 * webhooks are signed), so nothing here is trusted beyond its shape:
 * the job re-reads the lead before acting.
 */
import qs from 'qs';
import { z } from 'zod';
import { AppError } from '../errors';

const numeric = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v)))
  .pipe(z.number().int().positive());

const LeadEventSchema = z.object({
  id: numeric,
  status_id: numeric.optional(),
  pipeline_id: numeric.optional(),
  old_status_id: numeric.optional(),
});

/** qs yields an array for small indices and an object for sparse or large ones; accept both. */
const eventList = z.preprocess(
  (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => /^\d+$/.test(k)) ? Object.values(v) : v),
  z.array(LeadEventSchema),
);

const DeliverySchema = z.object({
  account: z.object({ id: numeric, subdomain: z.string().min(1).max(128).optional() }),
  leads: z
    .object({
      status: eventList.optional(),
      add: eventList.optional(),
      update: eventList.optional(),
    })
    .optional(),
});

export interface KommoLeadEvent {
  kind: 'status' | 'add' | 'update';
  leadId: number;
  statusId: number | undefined;
  pipelineId: number | undefined;
}

export interface KommoDelivery {
  accountId: number;
  subdomain: string | undefined;
  events: KommoLeadEvent[];
}

export function parseKommoWebhook(body: Buffer): KommoDelivery {
  const text = body.toString('utf8');
  if (text.includes('\uFFFD')) throw new AppError('bad_request', 'The body is not valid UTF-8');
  const form = qs.parse(text, { depth: 4, arrayLimit: 500, parameterLimit: 10_000, allowPrototypes: false });
  const parsed = DeliverySchema.safeParse(form);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.map((p, i) => (i === 0 ? String(p) : `[${String(p)}]`)).join('') : 'body';
    throw new AppError('bad_request', `Not a Kommo webhook: ${where} ${issue?.message ?? 'is invalid'}`, { field: where });
  }
  const { account, leads } = parsed.data;
  const events: KommoLeadEvent[] = [];
  for (const kind of ['status', 'add', 'update'] as const) {
    for (const e of leads?.[kind] ?? []) {
      events.push({ kind, leadId: e.id, statusId: e.status_id, pipelineId: e.pipeline_id });
    }
  }
  return { accountId: account.id, subdomain: account.subdomain, events };
}
