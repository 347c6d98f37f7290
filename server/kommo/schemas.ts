/**
 * Shapes of the Kommo API v4 responses we read. Only the fields we use are declared; unknown
 * fields are dropped. Source: https://developers.kommo.com/reference.
 *
 * Tolerant of what Kommo really sends (https://www.kommo.com/developers/content/crm_platform/leads-api/,
 * .../contacts-api/, .../custom-fields/): `custom_fields_values`, `_embedded`, `price` and names
 * may be null or absent; PHP serialises an empty object as `[]`; ids and numbers sometimes come as
 * numeric strings; dates are Unix seconds, sometimes as strings. Anything else that does not fit
 * is an error naming the path that failed (`describeParseError`), never a guessed value.
 */
import { z } from 'zod';

/** An integer id, also when sent as a numeric string. */
const id = z.union([z.number().int(), z.string().regex(/^\d+$/, 'expected an integer id').transform(Number)]);

/** A number that may come as a numeric string. */
const amount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a number').transform(Number)]);

/** Unix seconds as a number, a digit string or an ISO date-time string. */
const unixSeconds = z.union([
  z.number(),
  z.string().regex(/^\d+$/).transform(Number),
  z.iso.datetime({ offset: true }).transform((s) => Math.floor(Date.parse(s) / 1000)),
]);

/** PHP's JSON encoder writes an empty associative array (no embedded data) as `[]`. */
const phpEmpty = (value: unknown) => (Array.isArray(value) && value.length === 0 ? undefined : value);
function phpObject<S extends z.ZodType>(schema: S) {
  return z.preprocess(phpEmpty, schema.nullish());
}

/** One value of a field: text, number, boolean, an enum option (`enum_id`/`enum_code`) or an object (address, legal entity). */
const FieldValueItem = z.object({
  value: z.unknown(),
  enum_id: id.nullish(),
  enum_code: z.string().nullish(),
});

export const CustomFieldValueSchema = z.object({
  field_id: id,
  field_name: z.string().nullish(),
  field_code: z.string().nullish(),
  field_type: z.string().nullish(),
  values: z.array(FieldValueItem).nullish().transform((v) => v ?? []),
});
export type CustomFieldValue = z.infer<typeof CustomFieldValueSchema>;

const customFieldsValues = z.preprocess(phpEmpty, z.array(CustomFieldValueSchema).nullish()).transform((v) => v ?? []);
const text = z.string().nullish().transform((v) => v ?? '');

export const LeadSchema = z.object({
  id,
  name: text,
  // No budget set: Kommo sends null and shows 0.
  price: amount.nullish().transform((v) => v ?? 0),
  responsible_user_id: id.nullish(),
  status_id: id,
  pipeline_id: id,
  updated_at: unixSeconds.nullish(),
  closed_at: unixSeconds.nullish(),
  is_deleted: z.boolean().nullish(),
  custom_fields_values: customFieldsValues,
  _embedded: phpObject(
    z.object({
      tags: z.array(z.object({ id: id.nullish(), name: z.string() })).nullish(),
      contacts: z.array(z.object({ id, is_main: z.boolean().nullish() })).nullish(),
      companies: z.array(z.object({ id })).nullish(),
    }),
  ),
});
export type KommoLead = z.infer<typeof LeadSchema>;

const nextLink = phpObject(z.object({ next: z.object({ href: z.string() }).nullish() }));

export const LeadListSchema = z.object({
  _embedded: z.object({ leads: z.array(LeadSchema) }),
  _links: nextLink,
});

export const ContactSchema = z.object({
  id,
  name: text,
  custom_fields_values: customFieldsValues,
});
export type KommoContact = z.infer<typeof ContactSchema>;

/** `GET /api/v4/companies/{id}?with=leads,contacts`: the company with the ids of its deals and contacts. */
export const CompanySchema = z.object({
  id,
  name: text,
  responsible_user_id: id.nullish(),
  custom_fields_values: customFieldsValues,
  _embedded: phpObject(
    z.object({
      leads: z.array(z.object({ id })).nullish(),
      contacts: z.array(z.object({ id })).nullish(),
    }),
  ),
});
export type KommoCompany = z.infer<typeof CompanySchema>;

export const UserSchema = z.object({
  id,
  name: text,
  email: z.string().nullish(),
  lang: z.string().nullish(),
});
export type KommoUser = z.infer<typeof UserSchema>;

export const UserListSchema = z.object({
  _embedded: z.object({ users: z.array(UserSchema) }),
  _links: nextLink,
});

export const CustomFieldSchema = z.object({
  id,
  name: z.string(),
  code: z.string().nullish(),
  type: z.string(),
});
export type KommoCustomField = z.infer<typeof CustomFieldSchema>;

export const CustomFieldListSchema = z.object({
  _embedded: z.object({ custom_fields: z.array(CustomFieldSchema) }),
  _links: nextLink,
});

/**
 * The answer to creating fields: the docs show both the HAL list (`_embedded.custom_fields[]`)
 * and the bare field object (https://www.kommo.com/developers/content/crm_platform/custom-fields/).
 */
export const CreatedCustomFieldSchema = z.union([z.object({ _embedded: z.object({ custom_fields: z.array(CustomFieldSchema) }) }), CustomFieldSchema]);

export const PipelineListSchema = z.object({
  _embedded: z.object({
    pipelines: z.array(
      z.object({
        id,
        name: z.string(),
        // `sort` orders the stages (Won and Lost last); the trigger-stage check reads it.
        _embedded: phpObject(z.object({ statuses: z.array(z.object({ id, name: z.string(), sort: z.number().nullish() })) })),
      }),
    ),
  }),
});
export type KommoPipeline = z.infer<typeof PipelineListSchema>['_embedded']['pipelines'][number];

export const AccountSchema = z.object({
  id,
  name: z.string().nullish(),
  subdomain: z.string(),
  currency: z.string().nullish(),
  language: z.string().nullish(),
  _embedded: phpObject(z.object({ datetime_settings: phpObject(z.object({ timezone: z.string().nullish() })) })),
});
export type KommoAccount = z.infer<typeof AccountSchema>;

/** A task on a lead (https://www.kommo.com/developers/content/crm_platform/tasks-api/). */
export interface KommoTaskInput {
  leadId: number;
  /** Absent: Kommo makes the task the authorising user's. */
  responsibleUserId: number | undefined;
  text: string;
  /** Unix seconds. */
  completeTill: number;
  taskTypeId: number;
}

export const TaskListSchema = z.object({
  _embedded: z.object({ tasks: z.array(z.object({ id, text: z.string().nullish() })) }),
});

export const NoteListSchema = z.object({
  _embedded: z.object({
    notes: z.array(
      z.object({
        id,
        note_type: z.string().nullish(),
        params: phpObject(z.object({ text: z.string().nullish() })),
        created_at: unixSeconds.nullish(),
      }),
    ),
  }),
});

/** One note (`GET /api/v4/leads/{id}/notes/{note_id}`): who wrote it matters for comments both ways. */
export const NoteSchema = z.object({
  id,
  entity_id: id.nullish(),
  note_type: z.string().nullish(),
  created_by: z.number().int().nullish(),
  params: phpObject(z.object({ text: z.string().nullish() })),
});
export type KommoNote = z.infer<typeof NoteSchema>;

/** The answer to `POST /api/v4/leads/{id}/notes`: the created notes' ids, in the order sent. */
export const CreatedNotesSchema = z.object({ _embedded: z.object({ notes: z.array(z.object({ id })) }) });

export const ProblemSchema = z.object({
  title: z.string().nullish(),
  detail: z.string().nullish(),
  'validation-errors': z
    .array(z.object({ errors: z.array(z.object({ path: z.string().nullish(), detail: z.string().nullish() })).nullish() }))
    .nullish(),
});

export const WebhookSchema = z.object({
  id: id.nullish(),
  destination: z.string(),
  settings: z.array(z.string()).nullish(),
  disabled: z.boolean().nullish(),
});
export type KommoWebhook = z.infer<typeof WebhookSchema>;
export const WebhookListSchema = z.object({ _embedded: z.object({ webhooks: z.array(WebhookSchema) }) });

type Issue = z.core.$ZodIssue;

/** For a union, the branch that got furthest explains the failure best. */
function deepest(issue: Issue, prefix: PropertyKey[]): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.map((branch) => branch[0]).filter((first): first is Issue => first !== undefined);
    const best = branches.map((b) => deepest(b, path)).sort((a, b) => b.path.length - a.path.length)[0];
    if (best) return best;
  }
  return { path, message: issue.message };
}

/** "at _embedded.leads.0.status_id: Invalid input…": where an answer stopped making sense. */
export function describeParseError(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'unknown shape';
  const { path, message } = deepest(first, []);
  return `at ${path.length > 0 ? path.map(String).join('.') : '(root)'}: ${message}`;
}
