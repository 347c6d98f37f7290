import type { ParsedQs } from 'qs';
import { hal, problem } from '../http';
import { pageReply, queryObject, queryObjects, queryString, queryStrings } from '../paging';
import type { Route, RouteContext } from '../router';
import { leadJson } from '../serialize';
import type { LeadRecord } from '../types';

type Predicate = (lead: LeadRecord) => boolean;

function withContacts(query: ParsedQs): boolean {
  return queryStrings(query.with).includes('contacts');
}

/** `filter[updated_at][from]=…&filter[updated_at][to]=…` or `filter[updated_at]=…` (exact). */
function rangeFilter(value: ParsedQs[string], pick: (lead: LeadRecord) => number | null): Predicate | undefined {
  if (value === undefined) return undefined;
  const exact = queryString(value);
  if (exact !== undefined) return (lead) => pick(lead) === Number(exact);
  const range = queryObject(value);
  const from = queryString(range.from);
  const to = queryString(range.to);
  return (lead) => {
    const t = pick(lead);
    return t !== null && (from === undefined || t >= Number(from)) && (to === undefined || t <= Number(to));
  };
}

function filters(query: ParsedQs): Predicate[] {
  const filter = queryObject(query.filter);
  const out: Predicate[] = [(lead) => !lead.isDeleted];
  const ids = queryStrings(filter.id).map(Number);
  if (ids.length > 0) out.push((lead) => ids.includes(lead.id));
  const pipelines = queryStrings(filter.pipeline_id).map(Number);
  if (pipelines.length > 0) out.push((lead) => pipelines.includes(lead.pipelineId));
  const statuses = queryObjects(filter.statuses);
  if (statuses.length > 0) {
    out.push((lead) =>
      statuses.some((s) => {
        const status = queryString(s.status_id);
        return Number(queryString(s.pipeline_id)) === lead.pipelineId && (status === undefined || Number(status) === lead.statusId);
      }),
    );
  }
  for (const [key, pick] of [
    ['updated_at', (l: LeadRecord) => l.updatedAt],
    ['created_at', (l: LeadRecord) => l.createdAt],
    ['closed_at', (l: LeadRecord) => l.closedAt],
  ] as const) {
    const predicate = rangeFilter(filter[key], pick);
    if (predicate) out.push(predicate);
  }
  const search = queryString(query.query);
  if (search) out.push((lead) => lead.name.toLowerCase().includes(search.toLowerCase()));
  return out;
}

function sorter(query: ParsedQs): (a: LeadRecord, b: LeadRecord) => number {
  const order = queryObject(query.order);
  for (const [key, pick] of [
    ['updated_at', (l: LeadRecord) => l.updatedAt],
    ['created_at', (l: LeadRecord) => l.createdAt],
    ['id', (l: LeadRecord) => l.id],
  ] as const) {
    const dir = queryString(order[key]);
    if (dir !== undefined) {
      const sign = dir === 'desc' ? -1 : 1;
      return (a, b) => sign * (pick(a) - pick(b) || a.id - b.id);
    }
  }
  return (a, b) => a.id - b.id;
}

function listLeads(ctx: RouteContext) {
  const predicates = filters(ctx.query);
  const leads = [...ctx.store.leads.values()].filter((lead) => predicates.every((p) => p(lead))).sort(sorter(ctx.query));
  const contacts = withContacts(ctx.query);
  return pageReply(ctx.site, '/api/v4/leads', ctx.query, 'leads', leads.map((lead) => leadJson(ctx.store, ctx.site, lead, contacts)));
}

function getLead(ctx: RouteContext) {
  const lead = ctx.store.leads.get(ctx.id);
  if (!lead || lead.isDeleted) return problem(404, `Lead ${ctx.id} not found`);
  return hal(leadJson(ctx.store, ctx.site, lead, withContacts(ctx.query)));
}

export const leadReadRoutes: Route[] = [
  { method: 'GET', path: '/api/v4/leads', handler: listLeads },
  { method: 'GET', path: '/api/v4/leads/:id', handler: getLead },
];
