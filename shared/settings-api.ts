/**
 * Settings page ↔ server API (admins only): the installation's settings, what Linear and Kommo
 * offer to choose from, user matching, a preview of the issue a deal would produce, and the
 * history of changes. Shared by the widget's settings page and the server.
 */
import * as z from 'zod/mini';
import { KommoAccessViewSchema } from './api';
import { SUPPORTED_LANGUAGES } from './kommo';

const Priority = z.number().check(z.int(), z.minimum(0), z.maximum(4));

export const PipelineRuleSchema = z.object({
  /** Stable id (link key `rule:<id>`); rules saved before trigger stages have none. */
  id: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,40}$/))),
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(80))),
  pipelineId: z.optional(z.number().check(z.int(), z.positive())),
  /** The stage that creates the issue; absent = Won (142). */
  statusId: z.optional(z.number().check(z.int(), z.positive())),
  team: z.optional(z.string().check(z.minLength(1))),
  project: z.optional(z.string().check(z.minLength(1))),
  state: z.optional(z.string().check(z.minLength(1))),
  labels: z.array(z.string().check(z.minLength(1))),
  /** Linear issue template the issue starts from (our fields on top); absent or null = none. */
  templateId: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(100)))),
});

/** What a completed or canceled issue brings the deal (server/domain/settings.ts has the defaults). */
export const FollowUpInputSchema = z.object({
  task: z.boolean(),
  dueInWorkingHours: z.number().check(z.int(), z.minimum(0), z.maximum(200)),
  taskTypeId: z.number().check(z.int(), z.positive()),
  moveTo: z.optional(z.object({ pipelineId: z.number().check(z.int(), z.positive()), statusId: z.number().check(z.int(), z.positive()) })),
});
export type FollowUpInput = z.infer<typeof FollowUpInputSchema>;

/** Linear Customers: on/off, and the tier from a deal tag (first match) or a deal field's value. */
export const CustomersInputSchema = z.object({
  enabled: z.boolean(),
  tierRule: z.optional(
    z.object({
      tags: z.array(z.object({ tag: z.string().check(z.trim(), z.minLength(1)), tier: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)) })),
      field: z.optional(z.string().check(z.trim(), z.minLength(1))),
    }),
  ),
});
export type CustomersInput = z.infer<typeof CustomersInputSchema>;

/** The editable settings; the server fills defaults for anything absent. */
export const SettingsInputSchema = z.object({
  team: z.optional(z.string().check(z.minLength(1))),
  pipelines: z.enum(['all', 'listed']),
  rules: z.array(PipelineRuleSchema),
  fields: z.object({
    spec: z.string().check(z.minLength(1)),
    deadline: z.string().check(z.minLength(1)),
    issue: z.string().check(z.minLength(1)),
  }),
  defaultPriority: Priority,
  priorityTags: z.array(z.object({ tag: z.string().check(z.minLength(1)), priority: Priority })),
  userOverrides: z.array(z.object({ kommo: z.union([z.number(), z.string()]), linear: z.string().check(z.minLength(1)) })),
  notes: z.object({
    created: z.boolean(),
    completed: z.boolean(),
    canceled: z.boolean(),
    reassigned: z.boolean(),
    deleted: z.boolean(),
    identifierChanged: z.boolean(),
  }),
  /** Optional so a page that does not show it still saves it back unchanged. */
  followUp: z.optional(z.object({ completed: FollowUpInputSchema, canceled: FollowUpInputSchema })),
  /** Comments both ways; optional like followUp, so an older page saves it back unchanged. */
  comments: z.optional(z.object({ enabled: z.boolean(), prefix: z.string().check(z.trim(), z.minLength(1), z.maxLength(32)) })),
  /** Linear Customers (opt-in); optional like comments. */
  customers: z.optional(CustomersInputSchema),
  language: z.optional(z.enum(SUPPORTED_LANGUAGES)),
});
export type SettingsInput = z.infer<typeof SettingsInputSchema>;

const Named = z.object({ id: z.string(), name: z.string() });

export const SettingsViewSchema = z.object({
  isAdmin: z.boolean(),
  settings: SettingsInputSchema,
  linear: z.object({
    connected: z.boolean(),
    workspace: z.nullable(z.string()),
    user: z.nullable(z.string()),
    /** Why Linear's lists are empty, when they are (no key, key refused, Linear down). */
    problem: z.nullable(z.string()),
    /** How it is connected: "Connect Linear" (OAuth) or a pasted personal API key; null when it is not. */
    method: z.nullable(z.enum(['oauth', 'apiKey'])),
    /** Whether this server offers "Connect Linear" (it has a Linear OAuth app), and the grant's state. */
    oauth: z.object({ available: z.boolean(), status: z.nullable(z.enum(['connected', 'reconnect_needed', 'revoked'])) }),
    teams: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })),
    projects: z.array(Named),
    /** States of every team, for the per-rule state picker. */
    states: z.array(z.object({ id: z.string(), teamId: z.string(), name: z.string(), type: z.string() })),
    labels: z.array(Named),
    users: z.array(z.object({ id: z.string(), name: z.string(), email: z.nullable(z.string()) })),
    /** Issue templates, for the per-rule template picker; `teamId` null = every team may use it. */
    templates: z.optional(z.array(z.object({ id: z.string(), name: z.string(), teamId: z.nullable(z.string()) }))),
    /** Whether the workspace's plan has Linear Customers; `reason` says why the option is disabled. */
    customers: z.optional(z.object({ available: z.boolean(), reason: z.nullable(z.string()) })),
  }),
  kommo: z.object({
    /** Null while Kommo answers; else why it refuses the account. */
    access: z.nullable(KommoAccessViewSchema),
    /** `stages`: the pipeline's stages (Won and Lost included), for the follow-up's stage move. */
    pipelines: z.array(z.object({ id: z.number(), name: z.string(), stages: z.optional(z.array(z.object({ id: z.number(), name: z.string() }))) })),
    leadFields: z.array(z.object({ id: z.number(), name: z.string(), type: z.string() })),
    /** Every Kommo user with the Linear user the settings resolve them to. */
    users: z.array(
      z.object({
        id: z.number(),
        name: z.string(),
        email: z.nullable(z.string()),
        linearUserId: z.nullable(z.string()),
        matchedBy: z.nullable(z.enum(['email', 'override'])),
      }),
    ),
  }),
  webhooks: z.object({
    kommo: z.enum(['registered', 'unavailable', 'manual', 'unknown']),
    /**
     * registered: by us through Linear's API; configured: set up by hand, signing secret saved;
     * manual: to set up; app: the Linear OAuth app's own webhook (nothing to set up).
     */
    linear: z.enum(['registered', 'configured', 'manual', 'app']),
    /** The URLs to configure by hand when automatic registration is not possible. */
    kommoUrl: z.string(),
    linearUrl: z.string(),
  }),
  changes: z.array(z.object({ at: z.string(), userId: z.nullable(z.number()), summary: z.string() })),
  /** For the setup checklist (ISO times): the last webhook from each side, the last test preview. */
  setup: z.object({ kommoWebhookAt: z.nullable(z.string()), linearWebhookAt: z.nullable(z.string()), previewedAt: z.nullable(z.string()) }),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const LinearKeyRequestSchema = z.object({ apiKey: z.string().check(z.trim(), z.minLength(10, 'Paste a Linear API key (lin_api_…)'), z.maxLength(200)) });
export const LinearWebhookSecretRequestSchema = z.object({
  secret: z.string().check(z.trim(), z.minLength(16, "Paste the signing secret shown on the webhook's page in Linear"), z.maxLength(200)),
});
export const LinearKeyResponseSchema = z.object({ workspace: z.string(), user: z.string() });

export const PreviewRequestSchema = z.object({
  leadId: z.number().check(z.int(), z.positive()),
  /** Unsaved settings to try; absent = the saved ones. */
  settings: z.optional(SettingsInputSchema),
});
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>;

export const PreviewSchema = z.object({
  title: z.string(),
  description: z.string(),
  team: z.string(),
  state: z.nullable(z.string()),
  project: z.nullable(z.string()),
  assignee: z.nullable(z.string()),
  priority: Priority,
  dueDate: z.nullable(z.string()),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  /** The rules of the deal's pipeline, their stage, and whether the deal has reached it (they fire). */
  rules: z.optional(z.array(z.object({ rule: z.string(), stage: z.string(), fires: z.boolean() }))),
  /** The rule's Linear template and what it still sets once our fields went on top. */
  template: z.optional(z.nullable(z.object({ name: z.string(), fields: z.array(z.object({ field: z.string(), value: z.string() })) }))),
});
export type Preview = z.infer<typeof PreviewSchema>;
