/**
 * The event Kommo's Digital Pipeline posts to a widget action's `webhook_url` when a deal meets
 * the action (https://developers.kommo.com/docs/widgets-dp):
 * `{ event: { type, type_code, data: { id, element_type, status_id, pipeline_id, … }, time },
 *    action: { settings: { widget: { settings: {…the action's own fields} } } }, subdomain, account_id }`.
 * The doc shows JSON; older amoCRM accounts post the same keys form-encoded (`event[data][id]=…`),
 * so both are read. Like account webhooks it carries no signature: the URL secret and the account
 * are checked, and the job re-reads the lead before acting.
 */
import qs from 'qs';
import { z } from 'zod';
import { DP_TOKEN_SETTING } from '../../shared/dp-api';
import { AppError } from '../errors';

/** Kommo's element type of a lead (2); other entities (customers, contacts) have other codes. */
export const DP_LEAD_ELEMENT_TYPE = 2;

/** A positive integer sent as a number or (form-encoded) as digits. */
const Id = z.preprocess((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : v), z.number().int().positive());
const Text = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string());

const optionalText = Text.optional().transform((v) => (v?.trim() ? v.trim() : undefined));

/** The action's own settings, as the manifest's `dp.settings` fields name them (all optional, text). */
const ActionSettingsSchema = z.looseObject({
  [DP_TOKEN_SETTING]: optionalText,
  team: optionalText,
  project: optionalText,
  state: optionalText,
  labels: z
    .union([z.array(Text), Text])
    .optional()
    .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(',')).map((l) => l.trim()).filter((l) => l !== '')),
  priority: z
    .union([z.number(), Text])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || (typeof v === 'string' && v.trim() === '')) return undefined;
      const n = Number(v);
      if (Number.isInteger(n) && n >= 0 && n <= 4) return n;
      ctx.addIssue({ code: 'custom', message: 'priority must be 0 (none) to 4 (low)' });
      return z.NEVER;
    }),
});

export const DpEventSchema = z.looseObject({
  event: z.looseObject({
    type: z.union([z.number(), Text]).optional(),
    type_code: Text.optional(),
    data: z.looseObject({
      id: Id,
      element_type: Id,
      status_id: Id,
      pipeline_id: Id,
    }),
  }),
  action: z
    .looseObject({ settings: z.looseObject({ widget: z.looseObject({ settings: z.unknown().optional() }).optional() }).optional() })
    .optional(),
  subdomain: Text.optional(),
  account_id: Id.optional(),
});

export interface DpEvent {
  account: { id: number | undefined; subdomain: string | undefined };
  typeCode: string | undefined;
  leadId: number;
  elementType: number;
  pipelineId: number;
  statusId: number;
  target: { team?: string; project?: string; state?: string; labels?: string[]; priority?: number };
  /** The installation's token a marketplace build's action carries (dp-token.ts); a secret, never logged. */
  actionToken: string | undefined;
}

function bad(message: string, field: string): AppError {
  return new AppError('bad_request', `Not a Kommo Digital Pipeline event: ${message}`, { field });
}

function decode(body: Buffer, form: boolean): unknown {
  const text = body.toString('utf8');
  if (form) return qs.parse(text, { depth: 6, arrayLimit: 100, parameterLimit: 1000, allowPrototypes: false });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad('the body is not JSON', 'body');
  }
}

export function parseDpEvent(body: Buffer, form: boolean): DpEvent {
  const parsed = DpEventSchema.safeParse(decode(body, form));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.map(String).join('.') || 'body';
    throw bad(`${at} ${issue?.code === 'invalid_type' ? 'is missing or not a positive integer' : (issue?.message ?? 'is invalid')}`, at);
  }
  const { event, action, subdomain, account_id: accountId } = parsed.data;
  const settings = ActionSettingsSchema.safeParse(action?.settings?.widget?.settings ?? {});
  if (!settings.success) {
    const issue = settings.error.issues[0];
    throw bad(`action setting ${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, 'action.settings.widget.settings');
  }
  const cleanSubdomain = subdomain && /^[a-z0-9][a-z0-9_-]{0,127}$/i.test(subdomain.trim()) ? subdomain.trim().toLowerCase() : undefined;
  if (accountId === undefined && cleanSubdomain === undefined) throw bad('account_id or subdomain is missing', 'account_id');
  const { team, project, state, labels, priority, [DP_TOKEN_SETTING]: actionToken } = settings.data;
  return {
    account: { id: accountId, subdomain: cleanSubdomain },
    typeCode: event.type_code,
    leadId: event.data.id,
    elementType: event.data.element_type,
    pipelineId: event.data.pipeline_id,
    statusId: event.data.status_id,
    target: {
      ...(team ? { team } : {}),
      ...(project ? { project } : {}),
      ...(state ? { state } : {}),
      ...(labels.length > 0 ? { labels } : {}),
      ...(priority !== undefined ? { priority } : {}),
    },
    actionToken,
  };
}
