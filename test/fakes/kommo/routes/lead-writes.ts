import { z } from 'zod';
import { coerceFieldValues } from '../fields';
import { hal, problem, validationProblem, zodIssues, type Reply, type ValidationIssue } from '../http';
import { pageReply, queryObject, queryString, queryStrings } from '../paging';
import type { Route, RouteContext } from '../router';
import { noteJson } from '../serialize';
import type { CustomFieldRecord, FieldValue, Json } from '../types';

const JsonValue: z.ZodType<Json> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]));

const RawValue = z.object({ value: z.unknown().optional(), enum_id: z.unknown().optional(), enum_code: z.unknown().optional() });

const LeadPatch = z.object({
  name: z.string().min(1).optional(),
  price: z.number().int().nonnegative().optional(),
  status_id: z.number().int().optional(),
  pipeline_id: z.number().int().optional(),
  responsible_user_id: z.number().int().optional(),
  custom_fields_values: z
    .array(z.object({ field_id: z.number().int().optional(), field_code: z.string().optional(), values: z.array(RawValue).nullable() }))
    .nullable()
    .optional(),
});

const NoteInput = z.object({
  note_type: z.string(),
  params: z.record(z.string(), JsonValue),
  request_id: z.string().optional(),
});
const NotesBody = z.array(NoteInput).min(1).max(50);

function patchLead(ctx: RouteContext): Reply {
  const lead = ctx.store.leads.get(ctx.id);
  if (!lead || lead.isDeleted) return problem(404, `Lead ${ctx.id} not found`);
  const parsed = LeadPatch.safeParse(ctx.body);
  if (!parsed.success) return validationProblem(zodIssues(parsed.error));
  const patch = parsed.data;
  const issues: ValidationIssue[] = [];
  const writes: [CustomFieldRecord, FieldValue[]][] = [];
  (patch.custom_fields_values ?? []).forEach((entry, i) => {
    const field = entry.field_id !== undefined ? ctx.store.customFields.get(entry.field_id) : entry.field_code !== undefined ? ctx.store.findField(entry.field_code) : undefined;
    if (!field || (entry.field_id === undefined && field.code !== entry.field_code)) {
      const key = entry.field_id !== undefined || entry.field_code === undefined ? 'field_id' : 'field_code';
      issues.push({ code: 'NotSupportedChoice', path: `custom_fields_values.${i}.${key}`, detail: 'The value you selected is not a valid choice.' });
      return;
    }
    const values = coerceFieldValues(field, entry.values);
    if ('code' in values) issues.push({ ...values, path: `custom_fields_values.${i}.${values.path}` });
    else writes.push([field, values]);
  });
  const pipelineId = patch.pipeline_id ?? lead.pipelineId;
  if ((patch.status_id !== undefined || patch.pipeline_id !== undefined) && !ctx.store.status(pipelineId, patch.status_id ?? lead.statusId)) {
    issues.push({ code: 'NotSupportedChoice', path: 'status_id', detail: 'The value you selected is not a valid choice.' });
  }
  if (patch.responsible_user_id !== undefined && !ctx.store.users.has(patch.responsible_user_id)) {
    issues.push({ code: 'NotSupportedChoice', path: 'responsible_user_id', detail: 'The value you selected is not a valid choice.' });
  }
  if (issues.length > 0) return validationProblem(issues);

  if (patch.status_id !== undefined || patch.pipeline_id !== undefined) ctx.store.setLeadStatus(lead.id, patch.status_id ?? lead.statusId, pipelineId);
  if (patch.name !== undefined) lead.name = patch.name;
  if (patch.price !== undefined) lead.price = patch.price;
  if (patch.responsible_user_id !== undefined) lead.responsibleUserId = patch.responsible_user_id;
  for (const [field, values] of writes) ctx.store.setFieldValues(lead, field.id, values);
  lead.updatedAt = ctx.store.now();
  lead.updatedBy = ctx.store.defaultUser().id;
  return hal({ id: lead.id, updated_at: lead.updatedAt, _links: { self: { href: `${ctx.site.base}/api/v4/leads/${lead.id}` } } });
}

function noteIssues(note: z.infer<typeof NoteInput>, i: number): ValidationIssue[] {
  const needs = note.note_type === 'common' ? ['text'] : note.note_type === 'service_message' ? ['service', 'text'] : undefined;
  if (!needs) return [{ code: 'NotSupportedChoice', path: `${i}.note_type`, detail: 'The value you selected is not a valid choice.' }];
  return needs
    .filter((key) => typeof note.params[key] !== 'string' || note.params[key] === '')
    .map((key) => ({ code: 'NotBlank', path: `${i}.params.${key}`, detail: 'This value should not be blank.' }));
}

function addNotes(ctx: RouteContext): Reply {
  const lead = ctx.store.leads.get(ctx.id);
  if (!lead || lead.isDeleted) return problem(404, `Lead ${ctx.id} not found`);
  const parsed = NotesBody.safeParse(ctx.body);
  if (!parsed.success) return validationProblem(zodIssues(parsed.error));
  const issues = parsed.data.flatMap(noteIssues);
  if (issues.length > 0) return validationProblem(issues);
  const created = parsed.data.map((input, i) => {
    const note = ctx.store.addNote(lead.id, input.note_type, input.params);
    const _links = { self: { href: `${ctx.site.base}/api/v4/leads/${lead.id}/notes/${note.id}` } };
    return { id: note.id, entity_id: note.entityId, request_id: input.request_id ?? String(i), _links };
  });
  return hal({ _links: { self: { href: `${ctx.site.base}/api/v4/leads/${lead.id}/notes` } }, _embedded: { notes: created } });
}

/** Supports `filter[note_type]`, `filter[updated_at][from|to]` and `order[id|updated_at]=asc|desc`. */
function listNotes(ctx: RouteContext): Reply {
  if (!ctx.store.leads.has(ctx.id)) return problem(404, `Lead ${ctx.id} not found`);
  const filter = queryObject(ctx.query.filter);
  const types = queryStrings(filter.note_type);
  const range = queryObject(filter.updated_at);
  const from = Number(queryString(range.from) ?? -Infinity);
  const to = Number(queryString(range.to) ?? Infinity);
  const order = queryObject(ctx.query.order);
  const desc = (queryString(order.id) ?? queryString(order.updated_at)) === 'desc';
  const notes = ctx.store.notes
    .filter((n) => n.entityId === ctx.id && (types.length === 0 || types.includes(n.noteType)) && n.createdAt >= from && n.createdAt <= to)
    .sort((a, b) => (desc ? b.id - a.id : a.id - b.id))
    .map((n) => noteJson(ctx.site, n));
  return pageReply(ctx.site, `/api/v4/leads/${ctx.id}/notes`, ctx.query, 'notes', notes);
}

function getNote(ctx: RouteContext): Reply {
  if (!ctx.store.leads.has(ctx.id)) return problem(404, `Lead ${ctx.id} not found`);
  const noteId = ctx.subId;
  const note = ctx.store.notes.find((n) => n.id === noteId && n.entityId === ctx.id);
  return note ? hal(noteJson(ctx.site, note)) : problem(404, `Note ${noteId} not found`);
}

export const leadWriteRoutes: Route[] = [
  { method: 'GET', path: '/api/v4/leads/:id/notes/:subId', handler: getNote },
  { method: 'PATCH', path: '/api/v4/leads/:id', handler: patchLead },
  { method: 'POST', path: '/api/v4/leads/:id/notes', handler: addNotes },
  { method: 'GET', path: '/api/v4/leads/:id/notes', handler: listNotes },
];
