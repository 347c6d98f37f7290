/** A `deal_links` row, parsed into a DealLink, and the snapshot columns written back. */
import { z } from 'zod';
import type { IssueSnapshot } from '../../domain/issue-snapshot';
import type { DealLink } from '../../domain/link';
import { integer, jsonb, nullableText, nullableTimestamp, parseRow } from '../rows';

const State = z.object({ name: z.string(), type: z.string(), color: z.string() });
const Assignee = z.object({ id: z.string(), name: z.string(), avatarUrl: z.string().nullish().transform((v) => v ?? null) });
// Loose: `noted` is compared as a whole in SQL (advanceNoted), so it must round-trip unchanged.
const Noted = z.looseObject({
  identifier: z.string(),
  stateType: z.string().nullable(),
  assigneeId: z.string().nullable(),
  deleted: z.boolean(),
  updatedAt: z.string(),
});
const Action = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('task'), taskTypeId: z.number(), dueInWorkingHours: z.number() }),
  z.object({ kind: z.literal('stage'), pipelineId: z.number(), statusId: z.number() }),
]);
const Target = z.object({
  team: z.string().optional(),
  project: z.string().optional(),
  state: z.string().optional(),
  labels: z.array(z.string()).optional(),
  priority: z.number().optional(),
});
const Trigger = z.object({
  source: z.enum(['stage', 'dp']),
  ruleName: z.string().nullable(),
  pipelineId: z.number(),
  statusId: z.number(),
  pipelineName: z.string().nullable(),
  stageName: z.string().nullable(),
  target: Target.optional(),
});
const Pending = z.looseObject({ key: z.string(), text: z.string(), attemptedAt: z.string().optional(), action: Action.optional() });

const LinkRowSchema = z.object({
  id: z.string(),
  installation_id: z.string(),
  lead_id: integer,
  link_key: z.string(),
  origin: z.enum(['won', 'widget', 'manual']),
  status: z.enum(['creating', 'retrying', 'failed', 'linked', 'unlinked']),
  linear_issue_id: z.string(),
  issue_identifier: nullableText,
  issue_title: nullableText,
  issue_url: nullableText,
  issue_state: jsonb(State.nullish()),
  issue_assignee: jsonb(Assignee.nullish()),
  issue_priority: integer.nullish(),
  issue_due_date: nullableText,
  issue_updated_at: nullableTimestamp,
  issue_deleted: z.boolean().nullish(),
  deal_deadline: nullableText,
  noted: jsonb(Noted.nullish()),
  pending_notes: jsonb(z.array(Pending).nullish()),
  synced_at: nullableTimestamp,
  issue_created_at: nullableTimestamp,
  attachment_done_at: nullableTimestamp,
  field_done_at: nullableTimestamp,
  note_started_at: nullableTimestamp,
  note_done_at: nullableTimestamp,
  error_code: nullableText,
  error_message: nullableText,
  error_retryable: z.boolean().nullish(),
  warnings: jsonb(z.array(z.object({ code: z.string(), message: z.string() })).nullish()),
  trigger: jsonb(Trigger.nullish()),
  attempts: integer.nullish(),
  requested_at: nullableTimestamp,
  completed_at: nullableTimestamp,
  created_at: nullableTimestamp,
  // Comments both ways: a wrong shape is dropped, the card shows no comment.
  last_comment: jsonb(z.object({ author: z.string(), text: z.string(), at: z.string() }).nullish()).catch(null),
  last_task: jsonb(z.object({ text: z.string(), due: z.string().nullable(), at: z.string() }).nullish()).catch(null),
});

export function toLink(row: unknown): DealLink {
  const r = parseRow(LinkRowSchema, row, 'deal_links');
  return {
    id: r.id,
    installationId: r.installation_id,
    leadId: r.lead_id,
    linkKey: r.link_key,
    origin: r.origin,
    status: r.status,
    linearIssueId: r.linear_issue_id,
    issue: r.issue_identifier
      ? {
          identifier: r.issue_identifier,
          title: r.issue_title ?? '',
          url: r.issue_url ?? '',
          state: r.issue_state ?? null,
          assignee: r.issue_assignee ?? null,
          priority: r.issue_priority ?? 0,
          dueDate: r.issue_due_date,
          updatedAt: (r.issue_updated_at ?? new Date(0)).toISOString(),
        }
      : null,
    issueDeleted: Boolean(r.issue_deleted),
    dealDeadline: r.deal_deadline,
    noted: r.noted ?? null,
    pendingNotes: r.pending_notes ?? [],
    syncedAt: r.synced_at,
    issueCreatedAt: r.issue_created_at,
    attachmentDoneAt: r.attachment_done_at,
    fieldDoneAt: r.field_done_at,
    noteStartedAt: r.note_started_at,
    noteDoneAt: r.note_done_at,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '', retryable: Boolean(r.error_retryable) } : null,
    warnings: r.warnings ?? [],
    trigger: r.trigger ?? null,
    attempts: r.attempts ?? 0,
    requestedAt: r.requested_at ?? new Date(0),
    completedAt: r.completed_at,
    createdAt: r.created_at ?? new Date(0),
    lastComment: r.last_comment ?? null,
    lastTask: r.last_task ?? null,
  };
}

export function snapshotColumns(issue: IssueSnapshot): Record<string, unknown> {
  return {
    issue_identifier: issue.identifier,
    issue_title: issue.title,
    issue_url: issue.url,
    issue_state: JSON.stringify(issue.state),
    issue_assignee: JSON.stringify(issue.assignee),
    issue_priority: issue.priority,
    issue_due_date: issue.dueDate,
    issue_updated_at: issue.updatedAt,
  };
}
