/**
 * A thin typed client for the Kommo API v4 endpoints the product uses (there is no well-kept npm
 * client). Every response is parsed with zod; see request.ts for errors, timeouts and throttling.
 */
import { z } from 'zod';
import {
  AccountSchema,
  CompanySchema,
  ContactSchema,
  CreatedCustomFieldSchema,
  CustomFieldListSchema,
  LeadListSchema,
  LeadSchema,
  CreatedNotesSchema,
  NoteListSchema,
  NoteSchema,
  type KommoNote,
  PipelineListSchema,
  TaskListSchema,
  UserListSchema,
  WebhookListSchema,
  WebhookSchema,
  type KommoWebhook,
  type KommoAccount,
  type KommoCompany,
  type KommoContact,
  type KommoCustomField,
  type KommoLead,
  type KommoPipeline,
  type KommoTaskInput,
  type KommoUser,
} from './schemas';
import { createKommoSend, type KommoRequestDeps, type KommoSend } from './request';
import { AppError, isAppError } from '../errors';

const PAGE = 250;
const ACCOUNT = '/api/v4/account';

export interface KommoClient {
  getAccount(): Promise<KommoAccount>;
  getLead(leadId: number): Promise<KommoLead>;
  listLeads(query: Record<string, string | number>): Promise<KommoLead[]>;
  getContact(contactId: number): Promise<KommoContact>;
  /** The company with the ids of its deals and contacts. */
  getCompany(companyId: number): Promise<KommoCompany>;
  /** The leads among `ids` (deleted ones are not listed), a page of 250 per request. */
  leadsByIds(ids: number[]): Promise<KommoLead[]>;
  listUsers(): Promise<KommoUser[]>;
  listLeadFields(): Promise<KommoCustomField[]>;
  createLeadField(field: { name: string; type: 'text' | 'url' }): Promise<KommoCustomField>;
  listPipelines(): Promise<KommoPipeline[]>;
  setLeadField(leadId: number, fieldId: number, value: string): Promise<void>;
  addLeadNote(leadId: number, text: string): Promise<void>;
  /** Like addLeadNote, and returns the new note's id (undefined when Kommo's answer lacks it). */
  postLeadNote(leadId: number, text: string): Promise<number | undefined>;
  /** One note of a lead; undefined when Kommo has no such note there. */
  getLeadNote(leadId: number, noteId: number): Promise<KommoNote | undefined>;
  /** Text notes of a lead created at or after `since` (unix seconds), newest first. */
  listLeadNotes(leadId: number, since: number): Promise<Array<{ id: number; text: string }>>;
  addLeadTask(task: KommoTaskInput): Promise<void>;
  /** Tasks of a lead changed at or after `since` (unix seconds). */
  listLeadTasks(leadId: number, since: number): Promise<Array<{ id: number; text: string }>>;
  moveLead(leadId: number, pipelineId: number, statusId: number): Promise<void>;
  listWebhooks(destination: string): Promise<KommoWebhook[]>;
  addWebhook(destination: string, events: string[]): Promise<void>;
}

export function createKommoClient(deps: KommoRequestDeps): KommoClient {
  const send = accountWideForbidden(createKommoSend(deps));
  const required = async <T>(p: Promise<T | undefined>, what: string): Promise<T> => {
    const value = await p;
    if (value === undefined) throw new AppError('kommo_not_found', `Kommo returned no content for ${what}`);
    return value;
  };

  return {
    getAccount: () =>
      required(send({ method: 'GET', path: ACCOUNT, query: { with: 'datetime_settings' } }, AccountSchema), 'the account'),
    getLead: (leadId) =>
      required(send({ method: 'GET', path: `/api/v4/leads/${leadId}`, query: { with: 'contacts' } }, LeadSchema), `lead ${leadId}`),
    async listLeads(query) {
      const page = await send({ method: 'GET', path: '/api/v4/leads', query: { limit: PAGE, ...query } }, LeadListSchema);
      return page?._embedded.leads ?? [];
    },
    getContact: (contactId) =>
      required(send({ method: 'GET', path: `/api/v4/contacts/${contactId}` }, ContactSchema), `contact ${contactId}`),
    getCompany: (companyId) =>
      required(send({ method: 'GET', path: `/api/v4/companies/${companyId}`, query: { with: 'leads,contacts' } }, CompanySchema), `company ${companyId}`),
    async leadsByIds(ids) {
      const found: KommoLead[] = [];
      for (let i = 0; i < ids.length; i += PAGE) {
        const query = Object.fromEntries(ids.slice(i, i + PAGE).map((leadId, n) => [`filter[id][${n}]`, leadId]));
        const page = await send({ method: 'GET', path: '/api/v4/leads', query: { limit: PAGE, ...query } }, LeadListSchema);
        found.push(...(page?._embedded.leads ?? []));
      }
      return found;
    },
    listUsers: () => listAll(send, '/api/v4/users', UserListSchema, (p) => p._embedded.users),
    listLeadFields: () => listAll(send, '/api/v4/leads/custom_fields', CustomFieldListSchema, (p) => p._embedded.custom_fields),
    async createLeadField(field) {
      const body = [{ name: field.name, type: field.type, is_api_only: false }];
      const created = await required(send({ method: 'POST', path: '/api/v4/leads/custom_fields', body }, CreatedCustomFieldSchema), 'the new custom field');
      const first = '_embedded' in created ? created._embedded.custom_fields[0] : created;
      if (!first) throw new AppError('kommo_rejected', `Kommo did not create the "${field.name}" field`);
      return first;
    },
    async listPipelines() {
      const list = await send({ method: 'GET', path: '/api/v4/leads/pipelines' }, PipelineListSchema);
      return list?._embedded.pipelines ?? [];
    },
    async setLeadField(leadId, fieldId, value) {
      const body = { custom_fields_values: [{ field_id: fieldId, values: [{ value }] }] };
      await send({ method: 'PATCH', path: `/api/v4/leads/${leadId}`, body }, z.unknown());
    },
    async addLeadNote(leadId, text) {
      await send({ method: 'POST', path: `/api/v4/leads/${leadId}/notes`, body: [{ note_type: 'common', params: { text } }] }, z.unknown());
    },
    async postLeadNote(leadId, text) {
      const created = await send({ method: 'POST', path: `/api/v4/leads/${leadId}/notes`, body: [{ note_type: 'common', params: { text } }] }, z.unknown());
      const parsed = CreatedNotesSchema.safeParse(created);
      return parsed.success ? parsed.data._embedded.notes[0]?.id : undefined;
    },
    async getLeadNote(leadId, noteId) {
      try {
        return await send({ method: 'GET', path: `/api/v4/leads/${leadId}/notes/${noteId}` }, NoteSchema);
      } catch (error) {
        if (isAppError(error) && error.code === 'kommo_not_found') return undefined;
        throw error;
      }
    },
    async listLeadNotes(leadId, since) {
      const list = await send(
        {
          method: 'GET',
          path: `/api/v4/leads/${leadId}/notes`,
          query: { 'filter[note_type]': 'common', 'filter[updated_at][from]': since, 'order[id]': 'desc', limit: PAGE },
        },
        NoteListSchema,
      );
      return (list?._embedded.notes ?? []).map((n) => ({ id: n.id, text: n.params?.text ?? '' }));
    },
    async addLeadTask(task) {
      const body = [
        {
          entity_id: task.leadId,
          entity_type: 'leads',
          ...(task.responsibleUserId === undefined ? {} : { responsible_user_id: task.responsibleUserId }),
          text: task.text,
          complete_till: task.completeTill,
          task_type_id: task.taskTypeId,
        },
      ];
      await send({ method: 'POST', path: '/api/v4/tasks', body }, z.unknown());
    },
    async listLeadTasks(leadId, since) {
      const list = await send(
        {
          method: 'GET',
          path: '/api/v4/tasks',
          query: { 'filter[entity_type]': 'leads', 'filter[entity_id]': leadId, 'filter[updated_at][from]': since, 'order[id]': 'desc', limit: PAGE },
        },
        TaskListSchema,
      );
      return (list?._embedded.tasks ?? []).map((t) => ({ id: t.id, text: t.text ?? '' }));
    },
    async moveLead(leadId, pipelineId, statusId) {
      await send({ method: 'PATCH', path: `/api/v4/leads/${leadId}`, body: { pipeline_id: pipelineId, status_id: statusId } }, z.unknown());
    },
    async listWebhooks(destination) {
      const list = await send({ method: 'GET', path: '/api/v4/webhooks', query: { 'filter[destination]': destination } }, WebhookListSchema);
      return list?._embedded.webhooks ?? [];
    },
    async addWebhook(destination, events) {
      await send({ method: 'POST', path: '/api/v4/webhooks', body: { destination, settings: events, sort: 10 } }, WebhookSchema);
    },
  };
}

/**
 * A 403 can be one call's rights (registering webhooks needs an admin) or the whole account
 * (IP not in the account's whitelist, access restricted:
 * https://www.amocrm.com/developers/content/api/errors). The account endpoint tells them apart:
 * when it refuses too, the account is restricted.
 */
function accountWideForbidden(send: KommoSend): KommoSend {
  return async (req, schema) => {
    try {
      return await send(req, schema);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'kommo_forbidden') throw error;
      const accountRefuses =
        req.path === ACCOUNT ||
        (await send({ method: 'GET', path: ACCOUNT }, z.unknown()).then(
          () => false,
          (probe: unknown) => isAppError(probe) && probe.code === 'kommo_forbidden',
        ));
      if (!accountRefuses) throw error;
      throw new AppError(
        'kommo_access_restricted',
        `Kommo restricts access to the account (HTTP 403 on ${req.method} ${req.path}); an administrator checks the account's API access and IP whitelist in Kommo, then the waiting deals are processed`,
        { cause: error },
      );
    }
  };
}

async function listAll<S extends z.ZodType, T>(
  send: KommoSend,
  path: string,
  schema: S,
  items: (page: z.infer<S>) => T[],
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= 100; page++) {
    const body = await send({ method: 'GET', path, query: { page, limit: PAGE } }, schema);
    if (body === undefined) break;
    const batch = items(body);
    all.push(...batch);
    if (batch.length < PAGE) break;
  }
  return all;
}
