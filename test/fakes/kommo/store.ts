import { coerceFieldValues, seedValues } from './fields';
import type { AddContactInput, AddCustomFieldInput, AddLeadInput, AddPipelineInput, AddUserInput } from './inputs';
import {
  LOST_STATUS_ID,
  WON_STATUS_ID,
  type CompanyRecord,
  type ContactRecord,
  type CustomFieldRecord,
  type FieldValue,
  type Json,
  type LeadRecord,
  type NoteRecord,
  type PipelineRecord,
  type StatusRecord,
  type TagRecord,
  type TaskRecord,
  type UserRecord,
  type WebhookRecord,
} from './types';

/** Distinct id ranges per entity make id mix-ups in client code fail loudly. */
const ID_BASE = {
  user: 8000001,
  pipeline: 7000001,
  status: 60000001,
  field: 900001,
  enum: 500001,
  contact: 3000001,
  lead: 1000001,
  note: 20000001,
  task: 40000001,
  webhook: 830001,
  tag: 100001,
  company: 5000001,
};

const DEFAULT_STAGES = ['Incoming leads', 'Contact made', 'Qualified', 'Proposal sent'];

/** In-memory state of one fake Kommo account. Seeding throws on bad input: that is a test bug. */
export class KommoStore {
  readonly users = new Map<number, UserRecord>();
  readonly pipelines = new Map<number, PipelineRecord>();
  readonly customFields = new Map<number, CustomFieldRecord>();
  readonly contacts = new Map<number, ContactRecord>();
  readonly leads = new Map<number, LeadRecord>();
  readonly companies = new Map<number, CompanyRecord>();
  readonly notes: NoteRecord[] = [];
  readonly tasks: TaskRecord[] = [];
  readonly webhooks = new Map<number, WebhookRecord>();
  readonly tags = new Map<string, TagRecord>();
  private readonly nextId = new Map<keyof typeof ID_BASE, number>();

  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** The next id of a kind (companies.ts seeds companies with it). */
  id(kind: keyof typeof ID_BASE): number {
    const id = this.nextId.get(kind) ?? ID_BASE[kind];
    this.nextId.set(kind, id + 1);
    return id;
  }

  clear(): void {
    for (const map of [this.users, this.pipelines, this.customFields, this.contacts, this.leads, this.companies, this.webhooks, this.tags]) map.clear();
    this.notes.length = 0;
    this.tasks.length = 0;
    this.nextId.clear();
  }

  defaultUser(): UserRecord {
    const first = this.users.values().next();
    if (first.done) throw new Error('fake Kommo has no users');
    return first.value;
  }

  mainPipeline(): PipelineRecord {
    const main = [...this.pipelines.values()].find((p) => p.isMain);
    if (!main) throw new Error('fake Kommo has no pipelines');
    return main;
  }

  addUser(input: AddUserInput): UserRecord {
    const user: UserRecord = { id: this.id('user'), name: input.name, email: input.email, lang: input.lang ?? 'en', isAdmin: input.isAdmin ?? false, isFree: false, isActive: input.isActive ?? true };
    this.users.set(user.id, user);
    return user;
  }

  addPipeline(input: AddPipelineInput): PipelineRecord {
    const id = this.id('pipeline');
    const status = (s: Omit<StatusRecord, 'pipelineId' | 'color'>): StatusRecord => ({ ...s, pipelineId: id, color: '#99ccff' });
    const open = (input.openStages ?? DEFAULT_STAGES).map((name, i) =>
      status({ id: this.id('status'), name, sort: (i + 1) * 10, type: i === 0 ? 1 : 0, isEditable: i !== 0 }),
    );
    const pipeline: PipelineRecord = {
      id,
      name: input.name,
      sort: (this.pipelines.size + 1) * 10,
      isMain: input.isMain ?? this.pipelines.size === 0,
      statuses: [
        ...open,
        status({ id: WON_STATUS_ID, name: 'Closed - won', sort: 10000, type: 0, isEditable: false }),
        status({ id: LOST_STATUS_ID, name: 'Closed - lost', sort: 11000, type: 0, isEditable: false }),
      ],
    };
    this.pipelines.set(id, pipeline);
    return pipeline;
  }

  /** A new open stage of a pipeline, after its last open one (before Won and Lost). */
  addStage(pipelineId: number, name: string): StatusRecord {
    const pipeline = this.pipelines.get(pipelineId);
    if (!pipeline) throw new Error(`no pipeline ${pipelineId}`);
    const open = pipeline.statuses.filter((s) => s.id !== WON_STATUS_ID && s.id !== LOST_STATUS_ID);
    const stage: StatusRecord = { id: this.id('status'), name, sort: Math.max(0, ...open.map((s) => s.sort)) + 10, type: 0, isEditable: true, pipelineId, color: '#99ccff' };
    pipeline.statuses.splice(open.length, 0, stage);
    return stage;
  }

  status(pipelineId: number, statusId: number): StatusRecord | undefined {
    return this.pipelines.get(pipelineId)?.statuses.find((s) => s.id === statusId);
  }

  addCustomField(input: AddCustomFieldInput): CustomFieldRecord {
    const enums = input.enums?.map((value, i) => ({ id: this.id('enum'), value, sort: (i + 1) * 10 })) ?? null;
    const field: CustomFieldRecord = { id: this.id('field'), name: input.name, type: input.type, code: input.code ?? null, sort: input.sort ?? 500 + this.customFields.size, isApiOnly: input.isApiOnly ?? false, enums };
    this.customFields.set(field.id, field);
    return field;
  }

  /** Finds a field by id, name or code. */
  findField(nameOrId: string | number): CustomFieldRecord | undefined {
    if (typeof nameOrId === 'number') return this.customFields.get(nameOrId);
    return [...this.customFields.values()].find((f) => f.name === nameOrId || f.code === nameOrId);
  }

  addContact(input: AddContactInput): ContactRecord {
    const [firstName = '', ...rest] = input.name.trim().split(/\s+/);
    const now = this.now();
    const contact: ContactRecord = {
      id: this.id('contact'),
      name: input.name,
      firstName,
      lastName: rest.join(' '),
      responsibleUserId: input.responsibleUserId ?? this.defaultUser().id,
      emails: input.email ? [input.email] : [],
      phones: input.phone ? [input.phone] : [],
      createdAt: now,
      updatedAt: now,
    };
    this.contacts.set(contact.id, contact);
    return contact;
  }

  tag(name: string): TagRecord {
    const existing = this.tags.get(name);
    if (existing) return existing;
    const tag: TagRecord = { id: this.id('tag'), name, color: null };
    this.tags.set(name, tag);
    return tag;
  }

  addLead(input: AddLeadInput): LeadRecord {
    const pipeline = input.pipelineId === undefined ? this.mainPipeline() : this.pipelines.get(input.pipelineId);
    if (!pipeline) throw new Error(`unknown pipeline ${String(input.pipelineId)}`);
    const statusId = input.statusId ?? pipeline.statuses[0]?.id ?? WON_STATUS_ID;
    if (!this.status(pipeline.id, statusId)) throw new Error(`status ${statusId} is not in pipeline ${pipeline.id}`);
    const contactIds = [...(input.contactIds ?? [])];
    if (input.mainContactId !== undefined && !contactIds.includes(input.mainContactId)) contactIds.unshift(input.mainContactId);
    for (const id of contactIds) if (!this.contacts.has(id)) throw new Error(`unknown contact ${id}`);
    const createdAt = input.createdAt ?? this.now();
    const userId = input.responsibleUserId ?? this.defaultUser().id;
    const lead: LeadRecord = {
      id: this.id('lead'),
      name: input.name,
      price: input.price ?? 0,
      responsibleUserId: userId,
      groupId: 0,
      statusId,
      pipelineId: pipeline.id,
      oldStatusId: statusId,
      oldPipelineId: pipeline.id,
      createdBy: userId,
      updatedBy: userId,
      createdAt,
      updatedAt: input.updatedAt ?? createdAt,
      closedAt: statusId === WON_STATUS_ID || statusId === LOST_STATUS_ID ? createdAt : null,
      tags: (input.tags ?? []).map((t) => this.tag(t)),
      contactIds,
      mainContactId: input.mainContactId ?? contactIds[0] ?? null,
      companyId: input.companyId ?? null,
      customFields: new Map(),
      isDeleted: false,
    };
    for (const [key, value] of Object.entries(input.customFields ?? {})) {
      const field = this.customFields.get(Number(key));
      if (!field) throw new Error(`unknown custom field ${key}`);
      const values = coerceFieldValues(field, seedValues(value));
      if ('code' in values) throw new Error(`bad value for field ${field.name}: ${values.detail}`);
      lead.customFields.set(field.id, values);
    }
    this.leads.set(lead.id, lead);
    return lead;
  }

  /** Moves a lead like a user dragging the card; won/lost stamp `closed_at`. */
  setLeadStatus(leadId: number, statusId: number, pipelineId?: number): LeadRecord {
    const lead = this.requireLead(leadId);
    const target = pipelineId ?? lead.pipelineId;
    if (!this.status(target, statusId)) throw new Error(`status ${statusId} is not in pipeline ${target}`);
    lead.oldStatusId = lead.statusId;
    lead.oldPipelineId = lead.pipelineId;
    lead.statusId = statusId;
    lead.pipelineId = target;
    lead.updatedAt = this.now();
    lead.closedAt = statusId === WON_STATUS_ID || statusId === LOST_STATUS_ID ? lead.updatedAt : null;
    return lead;
  }

  requireLead(leadId: number): LeadRecord {
    const lead = this.leads.get(leadId);
    if (!lead) throw new Error(`unknown lead ${leadId}`);
    return lead;
  }

  setFieldValues(lead: LeadRecord, fieldId: number, values: FieldValue[]): void {
    if (values.length === 0) lead.customFields.delete(fieldId);
    else lead.customFields.set(fieldId, values);
  }

  /** `createdBy`: the author; by default the account's API user (the integration's token). */
  addNote(entityId: number, noteType: string, params: { [key: string]: Json }, createdBy = this.defaultUser().id): NoteRecord {
    const note: NoteRecord = { id: this.id('note'), entityId, noteType, params, createdBy, createdAt: this.now() };
    this.notes.push(note);
    return note;
  }

  addTask(input: Omit<TaskRecord, 'id' | 'createdAt' | 'updatedAt' | 'createdBy'>): TaskRecord {
    const now = this.now();
    const task: TaskRecord = { ...input, id: this.id('task'), createdBy: this.defaultUser().id, createdAt: now, updatedAt: now };
    this.tasks.push(task);
    return task;
  }

  upsertWebhook(destination: string, settings: string[], sort: number): WebhookRecord {
    const now = this.now();
    const existing = [...this.webhooks.values()].find((w) => w.destination === destination);
    const hook: WebhookRecord = existing
      ? { ...existing, settings, sort, updatedAt: now }
      : { id: this.id('webhook'), destination, settings, sort, disabled: false, createdBy: this.defaultUser().id, createdAt: now, updatedAt: now };
    this.webhooks.set(hook.id, hook);
    return hook;
  }
}
