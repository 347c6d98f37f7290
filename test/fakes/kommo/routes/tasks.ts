/**
 * Kommo's tasks (https://www.kommo.com/developers/content/crm_platform/tasks-api/): POST a batch
 * (text and complete_till required, an entity named by id and type, a known responsible user and
 * task type), GET a filtered list. Counted in the rate limit like every API call.
 */
import { z } from 'zod';
import { hal, validationProblem, zodIssues, type Reply, type ValidationIssue } from '../http';
import { pageReply, queryObject, queryString, queryStrings } from '../paging';
import type { Route, RouteContext } from '../router';
import { BUILTIN_TASK_TYPES, type Json, type TaskRecord } from '../types';

const TaskInput = z.object({
  text: z.string(),
  complete_till: z.number().int().positive(),
  entity_id: z.number().int().positive().optional(),
  entity_type: z.enum(['leads', 'contacts', 'companies', 'customers']).optional(),
  responsible_user_id: z.number().int().optional(),
  task_type_id: z.number().int().positive().optional(),
  duration: z.number().int().nonnegative().optional(),
  is_completed: z.boolean().optional(),
  request_id: z.string().optional(),
});
const TasksBody = z.array(TaskInput).min(1).max(50);

const BLANK = 'This value should not be blank.';
const CHOICE = 'The value you selected is not a valid choice.';

function taskIssues(ctx: RouteContext, task: z.infer<typeof TaskInput>, i: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (task.text.trim() === '') issues.push({ code: 'NotBlank', path: `${i}.text`, detail: BLANK });
  if ((task.entity_id === undefined) !== (task.entity_type === undefined)) {
    issues.push({ code: 'NotBlank', path: `${i}.${task.entity_id === undefined ? 'entity_id' : 'entity_type'}`, detail: BLANK });
  } else if (task.entity_type === 'leads' && task.entity_id !== undefined) {
    const lead = ctx.store.leads.get(task.entity_id);
    if (!lead || lead.isDeleted) issues.push({ code: 'NotSupportedChoice', path: `${i}.entity_id`, detail: CHOICE });
  }
  if (task.responsible_user_id !== undefined && !ctx.store.users.has(task.responsible_user_id)) {
    issues.push({ code: 'NotSupportedChoice', path: `${i}.responsible_user_id`, detail: CHOICE });
  }
  if (task.task_type_id !== undefined && !(BUILTIN_TASK_TYPES as readonly number[]).includes(task.task_type_id)) {
    issues.push({ code: 'NotSupportedChoice', path: `${i}.task_type_id`, detail: CHOICE });
  }
  return issues;
}

function addTasks(ctx: RouteContext): Reply {
  const parsed = TasksBody.safeParse(ctx.body);
  if (!parsed.success) return validationProblem(zodIssues(parsed.error));
  const issues = parsed.data.flatMap((task, i) => taskIssues(ctx, task, i));
  if (issues.length > 0) return validationProblem(issues);
  const created = parsed.data.map((input, i) => {
    const task = ctx.store.addTask({
      entityId: input.entity_id ?? null,
      entityType: input.entity_type ?? null,
      // Kommo makes a task without a responsible user the authorising user's.
      responsibleUserId: input.responsible_user_id ?? ctx.store.defaultUser().id,
      taskTypeId: input.task_type_id ?? 1,
      text: input.text,
      completeTill: input.complete_till,
      duration: input.duration ?? 0,
      isCompleted: input.is_completed ?? false,
    });
    return { id: task.id, request_id: input.request_id ?? String(i), _links: { self: { href: `${ctx.site.base}/api/v4/tasks/${task.id}` } } };
  });
  return hal({ _links: { self: { href: `${ctx.site.base}/api/v4/tasks` } }, _embedded: { tasks: created } });
}

function taskJson(ctx: RouteContext, t: TaskRecord): Json {
  return {
    id: t.id,
    created_by: t.createdBy,
    updated_by: t.createdBy,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    responsible_user_id: t.responsibleUserId,
    group_id: 0,
    entity_id: t.entityId,
    entity_type: t.entityType,
    duration: t.duration,
    is_completed: t.isCompleted,
    task_type_id: t.taskTypeId,
    text: t.text,
    result: [],
    complete_till: t.completeTill,
    account_id: ctx.site.accountId,
    _links: { self: { href: `${ctx.site.base}/api/v4/tasks/${t.id}` } },
  };
}

/** Supports `filter[entity_type|entity_id|responsible_user_id|task_type|is_completed]`, `filter[updated_at][from|to]`, `order[id|created_at|complete_till]`. */
function listTasks(ctx: RouteContext): Reply {
  const filter = queryObject(ctx.query.filter);
  const types = queryStrings(filter.entity_type);
  const ids = queryStrings(filter.entity_id).map(Number);
  const users = queryStrings(filter.responsible_user_id).map(Number);
  const taskTypes = queryStrings(filter.task_type).map(Number);
  const completed = queryString(filter.is_completed);
  const range = typeof filter.updated_at === 'string' ? { from: filter.updated_at, to: filter.updated_at } : queryObject(filter.updated_at);
  const from = Number(queryString(range.from) ?? -Infinity);
  const to = Number(queryString(range.to) ?? Infinity);
  const order = queryObject(ctx.query.order);
  const [orderKey, direction] = Object.entries(order)[0] ?? ['id', 'asc'];
  const key = orderKey === 'created_at' ? 'createdAt' : orderKey === 'complete_till' ? 'completeTill' : 'id';
  const sign = direction === 'desc' ? -1 : 1;
  const tasks = ctx.store.tasks
    .filter(
      (t) =>
        (types.length === 0 || (t.entityType !== null && types.includes(t.entityType))) &&
        (ids.length === 0 || (t.entityId !== null && ids.includes(t.entityId))) &&
        (users.length === 0 || users.includes(t.responsibleUserId)) &&
        (taskTypes.length === 0 || taskTypes.includes(t.taskTypeId)) &&
        (completed === undefined || t.isCompleted === (completed === '1')) &&
        t.updatedAt >= from &&
        t.updatedAt <= to,
    )
    .sort((a, b) => sign * (a[key] - b[key] || a.id - b.id))
    .map((t) => taskJson(ctx, t));
  return pageReply(ctx.site, '/api/v4/tasks', ctx.query, 'tasks', tasks);
}

export const taskRoutes: Route[] = [
  { method: 'POST', path: '/api/v4/tasks', handler: addTasks },
  { method: 'GET', path: '/api/v4/tasks', handler: listTasks },
];
