/**
 * Shapes of the Kommo API v4 responses we read. Only the fields we use are declared; unknown
 * fields are dropped. Source: https://developers.kommo.com/reference.
 */
import { z } from 'zod';

const id = z.number().int();

export const CustomFieldValueSchema = z.object({
  field_id: id,
  field_name: z.string().nullish(),
  field_code: z.string().nullish(),
  field_type: z.string().nullish(),
  values: z.array(z.object({ value: z.unknown(), enum_code: z.string().nullish() })),
});
export type CustomFieldValue = z.infer<typeof CustomFieldValueSchema>;

export const LeadSchema = z.object({
  id,
  name: z.string().nullish().transform((v) => v ?? ''),
  price: z.number().nullish().transform((v) => v ?? 0),
  responsible_user_id: id.nullish(),
  status_id: id,
  pipeline_id: id,
  updated_at: z.number().nullish(),
  closed_at: z.number().nullish(),
  is_deleted: z.boolean().nullish(),
  custom_fields_values: z.array(CustomFieldValueSchema).nullish().transform((v) => v ?? []),
  _embedded: z
    .object({
      tags: z.array(z.object({ id: id.nullish(), name: z.string() })).nullish(),
      contacts: z.array(z.object({ id, is_main: z.boolean().nullish() })).nullish(),
    })
    .nullish(),
});
export type KommoLead = z.infer<typeof LeadSchema>;

export const LeadListSchema = z.object({
  _embedded: z.object({ leads: z.array(LeadSchema) }),
  _links: z.object({ next: z.object({ href: z.string() }).nullish() }).nullish(),
});

export const ContactSchema = z.object({
  id,
  name: z.string().nullish().transform((v) => v ?? ''),
  custom_fields_values: z.array(CustomFieldValueSchema).nullish().transform((v) => v ?? []),
});
export type KommoContact = z.infer<typeof ContactSchema>;

export const UserSchema = z.object({
  id,
  name: z.string(),
  email: z.string().nullish(),
  lang: z.string().nullish(),
});
export type KommoUser = z.infer<typeof UserSchema>;

export const UserListSchema = z.object({
  _embedded: z.object({ users: z.array(UserSchema) }),
  _links: z.object({ next: z.object({ href: z.string() }).nullish() }).nullish(),
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
  _links: z.object({ next: z.object({ href: z.string() }).nullish() }).nullish(),
});

export const PipelineListSchema = z.object({
  _embedded: z.object({
    pipelines: z.array(
      z.object({
        id,
        name: z.string(),
        _embedded: z.object({ statuses: z.array(z.object({ id, name: z.string() })) }).nullish(),
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
  _embedded: z
    .object({ datetime_settings: z.object({ timezone: z.string().nullish() }).nullish() })
    .nullish(),
});
export type KommoAccount = z.infer<typeof AccountSchema>;

export const NoteListSchema = z.object({
  _embedded: z.object({
    notes: z.array(
      z.object({
        id,
        note_type: z.string().nullish(),
        params: z.object({ text: z.string().nullish() }).nullish(),
        created_at: z.number().nullish(),
      }),
    ),
  }),
});

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
