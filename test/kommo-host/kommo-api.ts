/**
 * What the deal card shows, read the way Kommo's own front end would have it: from the account's
 * API v4 (here the loopback fake, reached with the integration's access token). Only the fields
 * the card draws are kept; everything is plain JSON for the page script.
 */
import { z } from 'zod';

export interface KommoApi {
  /** Where API v4 lives, e.g. the fake's `http://127.0.0.1:<port>`. */
  url: string;
  accessToken: string;
}

export interface CardField {
  id: number;
  name: string;
  type: string;
  /** Display text; '' when the deal has no value. */
  value: string;
}

export interface CardNote {
  id: number;
  type: string;
  text: string;
  /** Unix seconds. */
  createdAt: number;
  author: string;
}

export interface CardStage {
  id: number;
  name: string;
  color: string;
}

export interface CardView {
  id: number;
  name: string;
  price: number;
  currency: string;
  /** The formatted budget, e.g. "$12,500". */
  budget: string;
  pipeline: { id: number; name: string; stages: CardStage[] };
  statusId: number;
  responsible: { id: number; name: string; email: string } | null;
  contact: { id: number; name: string; email: string; phone: string } | null;
  tags: string[];
  fields: CardField[];
  notes: CardNote[];
  createdAt: number;
  timezone: string;
}

const valueList = z.array(z.object({ value: z.union([z.string(), z.number(), z.boolean()]) }));
const fieldValues = z
  .array(
    z.object({
      field_id: z.number(),
      field_name: z.string().optional(),
      field_code: z.string().nullable().optional(),
      field_type: z.string().optional(),
      values: valueList,
    }),
  )
  .nullable()
  .optional();

const LeadSchema = z.object({
  id: z.number(),
  name: z.string(),
  price: z.number().nullable().optional(),
  responsible_user_id: z.number().nullable().optional(),
  status_id: z.number(),
  pipeline_id: z.number(),
  created_at: z.number(),
  custom_fields_values: fieldValues,
  _embedded: z
    .object({
      tags: z.array(z.object({ name: z.string() })).optional(),
      contacts: z.array(z.object({ id: z.number(), is_main: z.boolean().optional() })).optional(),
    })
    .optional(),
});
const FieldsSchema = z.object({
  _embedded: z.object({ custom_fields: z.array(z.object({ id: z.number(), name: z.string(), type: z.string(), sort: z.number().optional() })) }),
});
const PipelineSchema = z.object({
  id: z.number(),
  name: z.string(),
  _embedded: z.object({ statuses: z.array(z.object({ id: z.number(), name: z.string(), color: z.string(), sort: z.number() })) }),
});
const UserSchema = z.object({ id: z.number(), name: z.string(), email: z.string().optional() });
const UsersSchema = z.object({ _embedded: z.object({ users: z.array(UserSchema) }) });
const ContactSchema = z.object({ id: z.number(), name: z.string(), custom_fields_values: fieldValues });
const AccountSchema = z.object({
  currency: z.string(),
  _embedded: z.object({ datetime_settings: z.object({ timezone: z.string() }).optional() }).optional(),
});
const NotesSchema = z.object({
  _embedded: z.object({
    notes: z.array(
      z.object({
        id: z.number(),
        note_type: z.string(),
        created_at: z.number(),
        created_by: z.number().optional(),
        params: z.object({ text: z.string().optional() }).passthrough().nullable().optional(),
      }),
    ),
  }),
});

export class KommoApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(api: KommoApi, path: string, schema: z.ZodType<T>, optional = false): Promise<T | undefined> {
  const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.accessToken}` } });
  if (optional && (response.status === 204 || response.status === 404)) return undefined;
  if (!response.ok) throw new KommoApiError(response.status, `Kommo API ${path} answered ${response.status}`);
  if (response.status === 204) return undefined;
  return schema.parse(await response.json());
}

async function getRequired<T>(api: KommoApi, path: string, schema: z.ZodType<T>): Promise<T> {
  const value = await getJson(api, path, schema);
  if (value === undefined) throw new KommoApiError(404, `Kommo API ${path} answered with no content`);
  return value;
}

function formatDate(unixSeconds: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: timezone }).format(new Date(unixSeconds * 1000));
}

function display(type: string, values: z.infer<typeof valueList>, timezone: string): string {
  return values
    .map(({ value }) => {
      if ((type === 'date' || type === 'date_time' || type === 'birthday') && typeof value === 'number') return formatDate(value, timezone);
      if (typeof value === 'boolean') return value ? 'Yes' : 'No';
      return String(value);
    })
    .join(', ');
}

function firstOf(list: z.infer<typeof fieldValues>, code: 'EMAIL' | 'PHONE'): string {
  const field = (list ?? []).find((f) => f.field_code === code);
  const value = field?.values[0]?.value;
  return value === undefined ? '' : String(value);
}

/** Reads one deal with everything the card shows; throws KommoApiError (404 for an unknown deal). */
export async function readCard(api: KommoApi, leadId: number): Promise<CardView> {
  const [lead, fields, account, users] = await Promise.all([
    getRequired(api, `/api/v4/leads/${leadId}?with=contacts`, LeadSchema),
    getJson(api, '/api/v4/leads/custom_fields?limit=250', FieldsSchema, true),
    getRequired(api, '/api/v4/account?with=datetime_settings', AccountSchema),
    getJson(api, '/api/v4/users?limit=250', UsersSchema, true),
  ]);
  const timezone = account._embedded?.datetime_settings?.timezone ?? 'UTC';
  const mainContact = lead._embedded?.contacts?.find((c) => c.is_main) ?? lead._embedded?.contacts?.[0];
  const [pipeline, contact, notes] = await Promise.all([
    getRequired(api, `/api/v4/leads/pipelines/${lead.pipeline_id}`, PipelineSchema),
    mainContact ? getJson(api, `/api/v4/contacts/${mainContact.id}`, ContactSchema, true) : Promise.resolve(undefined),
    getJson(api, `/api/v4/leads/${leadId}/notes?limit=250`, NotesSchema, true),
  ]);
  const userList = users?._embedded.users ?? [];
  const userName = (id: number | undefined | null) => userList.find((u) => u.id === id)?.name ?? 'Robot';
  const responsible = userList.find((u) => u.id === lead.responsible_user_id);
  const values = new Map((lead.custom_fields_values ?? []).map((f) => [f.field_id, f] as const));
  const definitions = [...(fields?._embedded.custom_fields ?? [])].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0) || a.id - b.id);
  const price = lead.price ?? 0;
  return {
    id: lead.id,
    name: lead.name,
    price,
    currency: account.currency,
    budget: new Intl.NumberFormat('en-US', { style: 'currency', currency: account.currency, maximumFractionDigits: 0 }).format(price),
    pipeline: {
      id: pipeline.id,
      name: pipeline.name,
      stages: [...pipeline._embedded.statuses].sort((a, b) => a.sort - b.sort).map((s) => ({ id: s.id, name: s.name, color: s.color })),
    },
    statusId: lead.status_id,
    responsible: responsible ? { id: responsible.id, name: responsible.name, email: responsible.email ?? '' } : null,
    contact: contact ? { id: contact.id, name: contact.name, email: firstOf(contact.custom_fields_values, 'EMAIL'), phone: firstOf(contact.custom_fields_values, 'PHONE') } : null,
    tags: (lead._embedded?.tags ?? []).map((t) => t.name),
    fields: definitions.map((definition) => {
      const own = values.get(definition.id);
      return { id: definition.id, name: definition.name, type: definition.type, value: own ? display(definition.type, own.values, timezone) : '' };
    }),
    notes: (notes?._embedded.notes ?? [])
      .map((n) => ({ id: n.id, type: n.note_type, text: n.params?.text ?? '', createdAt: n.created_at, author: userName(n.created_by) }))
      .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id),
    createdAt: lead.created_at,
    timezone,
  };
}
