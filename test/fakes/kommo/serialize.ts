import type { KommoStore } from './store';
import type { ContactRecord, CustomFieldRecord, Json, FieldValue, LeadRecord, NoteRecord, PipelineRecord, UserRecord, WebhookRecord } from './types';

/** API v4 (HAL) representations. Links use the fake's own origin, so `_links` are followable. */
/** Where the fake is reachable and whose account it is: both appear inside every representation. */
export interface ApiSite {
  base: string;
  accountId: number;
}

const self = (base: string, path: string): Json => ({ self: { href: `${base}${path}` } });

function values(list: FieldValue[]): Json[] {
  return list.map((v) => {
    const out: Record<string, Json> = { value: v.value };
    if (v.enumId !== undefined) out.enum_id = v.enumId;
    if (v.enumCode !== undefined) out.enum_code = v.enumCode;
    return out;
  });
}

function fieldValue(field: Pick<CustomFieldRecord, 'id' | 'name' | 'code' | 'type'> | undefined, id: number, list: FieldValue[]): Json {
  return { field_id: id, field_name: field?.name ?? '', field_code: field?.code ?? null, field_type: field?.type ?? 'text', values: values(list) };
}

export function leadJson(store: KommoStore, site: ApiSite, lead: LeadRecord, withContacts: boolean): Json {
  const cfv = [...lead.customFields].map(([id, list]) => fieldValue(store.customFields.get(id), id, list));
  const embedded: Record<string, Json> = {
    tags: lead.tags.map((t) => ({ id: t.id, name: t.name, color: t.color })),
    // Kommo embeds the deal's company without being asked (`with` is only for contacts and others).
    companies: lead.companyId === null ? [] : [{ id: lead.companyId, _links: self(site.base, `/api/v4/companies/${lead.companyId}`) }],
  };
  if (withContacts) {
    embedded.contacts = lead.contactIds.map((id) => ({ id, is_main: id === lead.mainContactId, _links: self(site.base, `/api/v4/contacts/${id}`) }));
  }
  return {
    id: lead.id,
    name: lead.name,
    price: lead.price,
    responsible_user_id: lead.responsibleUserId,
    group_id: lead.groupId,
    status_id: lead.statusId,
    pipeline_id: lead.pipelineId,
    loss_reason_id: null,
    created_by: lead.createdBy,
    updated_by: lead.updatedBy,
    created_at: lead.createdAt,
    updated_at: lead.updatedAt,
    closed_at: lead.closedAt,
    closest_task_at: null,
    is_deleted: lead.isDeleted,
    custom_fields_values: cfv.length > 0 ? cfv : null,
    score: null,
    account_id: site.accountId,
    labor_cost: null,
    _links: self(site.base, `/api/v4/leads/${lead.id}`),
    _embedded: embedded,
  };
}

export function contactJson(site: ApiSite, contact: ContactRecord): Json {
  // Real system fields have account-specific ids; fixed ones keep the fake deterministic.
  const multitext = (fieldId: number, code: 'EMAIL' | 'PHONE', name: string, list: string[]): Json =>
    fieldValue({ id: fieldId, name, code, type: 'multitext' }, fieldId, list.map((value) => ({ value, enumCode: 'WORK' })));
  const cfv: Json[] = [];
  if (contact.phones.length > 0) cfv.push(multitext(1, 'PHONE', 'Phone', contact.phones));
  if (contact.emails.length > 0) cfv.push(multitext(2, 'EMAIL', 'Email', contact.emails));
  return {
    id: contact.id,
    name: contact.name,
    first_name: contact.firstName,
    last_name: contact.lastName,
    responsible_user_id: contact.responsibleUserId,
    group_id: 0,
    created_by: contact.responsibleUserId,
    updated_by: contact.responsibleUserId,
    created_at: contact.createdAt,
    updated_at: contact.updatedAt,
    closest_task_at: null,
    is_deleted: false,
    custom_fields_values: cfv.length > 0 ? cfv : null,
    account_id: site.accountId,
    _links: self(site.base, `/api/v4/contacts/${contact.id}`),
    _embedded: { tags: [], companies: [] },
  };
}

export function userJson(site: ApiSite, user: UserRecord): Json {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    lang: user.lang,
    rights: { is_admin: user.isAdmin, is_free: user.isFree, is_active: user.isActive, group_id: null, role_id: null },
    _links: self(site.base, `/api/v4/users/${user.id}`),
  };
}

export function customFieldJson(site: ApiSite, field: CustomFieldRecord): Json {
  return {
    id: field.id,
    name: field.name,
    type: field.type,
    account_id: site.accountId,
    code: field.code,
    sort: field.sort,
    is_api_only: field.isApiOnly,
    enums: field.enums ? field.enums.map((e) => ({ id: e.id, value: e.value, sort: e.sort })) : null,
    group_id: null,
    required_statuses: [],
    is_deletable: true,
    is_predefined: false,
    entity_type: 'leads',
    remind: null,
    settings: null,
    _links: self(site.base, `/api/v4/leads/custom_fields/${field.id}`),
  };
}

export function pipelineJson(site: ApiSite, pipeline: PipelineRecord): Json {
  return {
    id: pipeline.id,
    name: pipeline.name,
    sort: pipeline.sort,
    is_main: pipeline.isMain,
    is_unsorted_on: true,
    is_archive: false,
    account_id: site.accountId,
    _links: self(site.base, `/api/v4/leads/pipelines/${pipeline.id}`),
    _embedded: {
      statuses: pipeline.statuses.map((s) => ({
        id: s.id,
        name: s.name,
        sort: s.sort,
        is_editable: s.isEditable,
        pipeline_id: s.pipelineId,
        color: s.color,
        type: s.type,
        account_id: site.accountId,
        _links: self(site.base, `/api/v4/leads/pipelines/${s.pipelineId}/statuses/${s.id}`),
      })),
    },
  };
}

export function noteJson(site: ApiSite, note: NoteRecord): Json {
  return {
    id: note.id,
    entity_id: note.entityId,
    created_by: note.createdBy,
    updated_by: note.createdBy,
    created_at: note.createdAt,
    updated_at: note.createdAt,
    responsible_user_id: note.createdBy,
    group_id: 0,
    note_type: note.noteType,
    params: note.params,
    account_id: site.accountId,
    _links: self(site.base, `/api/v4/leads/${note.entityId}/notes/${note.id}`),
  };
}

export function webhookJson(site: ApiSite, webhook: WebhookRecord): Json {
  return {
    id: webhook.id,
    destination: webhook.destination,
    created_at: webhook.createdAt,
    updated_at: webhook.updatedAt,
    account_id: site.accountId,
    created_by: webhook.createdBy,
    sort: webhook.sort,
    disabled: webhook.disabled,
    settings: webhook.settings,
  };
}
