/**
 * Companies as Kommo serves them: `GET /api/v4/companies/{id}` with `with=leads` and/or
 * `with=contacts` embedding the ids (and links) of the company's deals and contacts. The email
 * field is the system multitext field EMAIL, as on contacts.
 */
import { hal, problem } from '../http';
import type { AddCompanyInput } from '../inputs';
import { queryStrings } from '../paging';
import type { Route, RouteContext } from '../router';
import type { ApiSite } from '../serialize';
import type { KommoStore } from '../store';
import type { CompanyRecord, Json } from '../types';

export function addCompany(store: KommoStore, input: AddCompanyInput): CompanyRecord {
  for (const id of input.contactIds ?? []) if (!store.contacts.has(id)) throw new Error(`unknown contact ${id}`);
  const now = store.now();
  const company: CompanyRecord = {
    id: store.id('company'),
    name: input.name,
    responsibleUserId: input.responsibleUserId ?? store.defaultUser().id,
    emails: [...(input.emails ?? [])],
    contactIds: [...(input.contactIds ?? [])],
    createdAt: now,
    updatedAt: now,
  };
  store.companies.set(company.id, company);
  return company;
}

const link = (site: ApiSite, path: string): Json => ({ self: { href: `${site.base}${path}` } });

export function companyJson(store: KommoStore, site: ApiSite, company: CompanyRecord, withs: string[]): Json {
  const embedded: Record<string, Json> = { tags: [] };
  if (withs.includes('leads')) {
    embedded.leads = [...store.leads.values()]
      .filter((l) => l.companyId === company.id && !l.isDeleted)
      .map((l) => ({ id: l.id, _links: link(site, `/api/v4/leads/${l.id}`) }));
  }
  if (withs.includes('contacts')) {
    embedded.contacts = company.contactIds.map((id) => ({ id, _links: link(site, `/api/v4/contacts/${id}`) }));
  }
  const emails = company.emails.map((value) => ({ value, enum_code: 'WORK' }));
  return {
    id: company.id,
    name: company.name,
    responsible_user_id: company.responsibleUserId,
    group_id: 0,
    created_by: company.responsibleUserId,
    updated_by: company.responsibleUserId,
    created_at: company.createdAt,
    updated_at: company.updatedAt,
    closest_task_at: null,
    is_deleted: false,
    custom_fields_values: emails.length > 0 ? [{ field_id: 2, field_name: 'Email', field_code: 'EMAIL', field_type: 'multitext', values: emails }] : null,
    account_id: site.accountId,
    _links: link(site, `/api/v4/companies/${company.id}`),
    _embedded: embedded,
  };
}

function getCompany(ctx: RouteContext) {
  const company = ctx.store.companies.get(ctx.id);
  if (!company) return problem(404, `Company ${ctx.id} not found`);
  const withs = queryStrings(ctx.query.with).flatMap((w) => w.split(','));
  return hal(companyJson(ctx.store, ctx.site, company, withs));
}

export const companyRoutes: Route[] = [{ method: 'GET', path: '/api/v4/companies/:id', handler: getCompany }];
