/**
 * Per-installation settings: which Kommo fields feed the issue, how pipelines map to Linear teams,
 * priorities from tags, user overrides, and which Linear events post notes. Zero config must work:
 * every field has a default.
 */
import { z } from 'zod';
import { SUPPORTED_LANGUAGES } from '../../shared/kommo';
/** Linear's scale: 0 none, 1 urgent, 2 high, 3 medium, 4 low. */
const Priority = z.number().int().min(0).max(4);

export const PipelineRuleSchema = z.object({
  /**
   * Stable id of the rule, part of the link key of the issues it makes (one per deal and rule).
   * Rules saved before trigger stages have none; the settings page gives new rules one.
   */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'A rule id is 1–40 letters, digits, "_" or "-"').optional(),
  /** What the deal card shows as the issue's trigger ("Onboarding"); absent = the stage's name. */
  name: z.string().trim().min(1).max(80).optional(),
  /** Kommo pipeline id; absent = the default rule for every pipeline without its own. */
  pipelineId: z.number().int().positive().optional(),
  /** The stage (Kommo status id) of the pipeline that creates the issue; absent = Won (142). */
  statusId: z.number().int().positive().optional(),
  /** Linear team key (ENG) or id; absent = the installation's team. */
  team: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  /** Initial state by name ("Todo") or type ("backlog"); default: the team's backlog state. */
  state: z.string().min(1).optional(),
  labels: z.array(z.string().min(1)).default([]),
  /**
   * Linear issue template id: Linear fills the issue from it, then our fields go on top. Absent
   * or null = no template (settings saved before templates have none).
   */
  templateId: z.string().min(1).max(100).nullish(),
});
export type PipelineRule = z.infer<typeof PipelineRuleSchema>;

/**
 * What the deal gets when its issue reaches an outcome: a Kommo task for the deal's responsible
 * user (a due time the manager works from), and/or a move to a chosen stage.
 */
export const FollowUpSchema = z
  .object({
    task: z.boolean().default(false),
    /** Working hours (Mon–Fri, 09:00–18:00 in the account's timezone) until the task is due. */
    dueInWorkingHours: z.number().int().min(0).max(200).default(4),
    /** Kommo task type: 1 follow-up (call), 2 meeting, or an account's custom type id. */
    taskTypeId: z.number().int().positive().default(1),
    /** The stage to move the deal to; absent = the deal stays where it is. */
    moveTo: z.object({ pipelineId: z.number().int().positive(), statusId: z.number().int().positive() }).optional(),
  })
  .prefault({});
export type FollowUp = z.infer<typeof FollowUpSchema>;

/** The default prefix a Kommo note needs to become a Linear comment. */
export const DEFAULT_COMMENT_PREFIX = '#linear';

export const CommentsSchema = z
  .object({
    enabled: z.boolean().default(false),
    prefix: z.string().trim().min(1).max(32).default(DEFAULT_COMMENT_PREFIX),
  })
  .prefault({});
export type CommentSettings = z.infer<typeof CommentsSchema>;

/**
 * Linear Customers (opt-in): the deal's company becomes a Linear customer with its won revenue,
 * and the issue gets the deal as a customer request. `tierRule` picks the customer's tier from a
 * deal tag (first match wins) or from a deal field's value.
 */
export const CustomersSchema = z
  .object({
    enabled: z.boolean().default(false),
    tierRule: z
      .object({
        tags: z.array(z.object({ tag: z.string().trim().min(1), tier: z.string().trim().min(1).max(80) })).default([]),
        /** A deal field (name or id) whose value is the tier's name. */
        field: z.string().trim().min(1).optional(),
      })
      .optional(),
  })
  .prefault({});
export type CustomerSettings = z.infer<typeof CustomersSchema>;

export const SettingsSchema = z.object({
  /** Linear team key or id used when a rule names none. */
  team: z.string().min(1).optional(),
  /** 'all': every pipeline creates issues on Won; 'listed': only pipelines with a rule. */
  pipelines: z.enum(['all', 'listed']).default('all'),
  rules: z.array(PipelineRuleSchema).default([]),
  fields: z
    .object({
      spec: z.string().min(1).default('Spec'),
      deadline: z.string().min(1).default('Deadline'),
      issue: z.string().min(1).default('Linear issue'),
    })
    .prefault({}),
  defaultPriority: Priority.default(2),
  priorityTags: z.array(z.object({ tag: z.string().min(1), priority: Priority })).default([]),
  /** Kommo user (id or email) → Linear user (id or email); wins over email matching. */
  userOverrides: z
    .array(z.object({ kommo: z.union([z.number().int(), z.string().min(1)]), linear: z.string().min(1) }))
    .default([]),
  notes: z
    .object({
      created: z.boolean().default(true),
      completed: z.boolean().default(true),
      canceled: z.boolean().default(true),
      reassigned: z.boolean().default(true),
      deleted: z.boolean().default(true),
      identifierChanged: z.boolean().default(true),
    })
    .prefault({}),
  /** On completion / cancellation of a linked issue (each at most once per transition). */
  followUp: z.object({ completed: FollowUpSchema, canceled: FollowUpSchema }).prefault({}),
  /** Comments both ways (opt-in): Linear comments → deal notes, deal notes starting with `prefix` → comments. */
  comments: CommentsSchema,
  customers: CustomersSchema,
  /** Language of notes written into Kommo; absent = the account's language. */
  language: z.enum(SUPPORTED_LANGUAGES).optional(),
});
export type InstallationSettings = z.infer<typeof SettingsSchema>;

export function parseSettings(value: unknown): InstallationSettings {
  return SettingsSchema.parse(value ?? {});
}

/**
 * The pipeline's main rule (its first own rule, else the default one), or undefined when that
 * pipeline has no rule. Issues made from the deal card go where it says.
 */
export function ruleForPipeline(settings: InstallationSettings, pipelineId: number): PipelineRule | undefined {
  const own = settings.rules.find((r) => r.pipelineId === pipelineId);
  if (own) return own;
  if (settings.pipelines === 'listed') return undefined;
  return settings.rules.find((r) => r.pipelineId === undefined) ?? { labels: [] };
}
