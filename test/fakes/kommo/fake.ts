import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultHandle, FaultInjector, FaultRule } from './faults';
import { handleRequest, type Runtime } from './handler';
import type { OAuthServer } from './oauth';
import type { Router } from './router';
import type { KommoDefaults } from './seed';
import type { ApiSite } from './serialize';
import type { AddCompanyInput, AddContactInput, AddCustomFieldInput, AddLeadInput, AddPipelineInput, AddUserInput } from './inputs';
import { addCompany } from './routes/companies';
import type { KommoStore } from './store';
import type { RecordedRequest, Traffic } from './traffic';
import type { AccountSettings, CompanyRecord, ContactRecord, CustomFieldRecord, LeadRecord, NoteRecord, PipelineRecord, ScalarValue, TaskRecord, UserRecord, WebhookRecord } from './types';
import { noteWebhookBody, postWebhook, statusWebhookBody } from './webhook-sender';

export interface FakeKommoParts {
  router: Router;
  store: KommoStore;
  oauth: OAuthServer;
  faults: FaultInjector;
  traffic: Traffic;
  account: AccountSettings;
  accessToken: string;
  delayMs: number;
  rateLimitPerSecond: number | undefined;
  /** Re-seeds the store in place and returns the ids of the defaults. */
  seed: () => KommoDefaults;
}

/** One fake Kommo account behind a real HTTP server on 127.0.0.1. */
export class FakeKommo implements Runtime {
  readonly router: Router;
  readonly store: KommoStore;
  readonly oauth: OAuthServer;
  readonly faults: FaultInjector;
  readonly traffic: Traffic;
  readonly account: AccountSettings;
  readonly flags = { webhooksForbidden: false };
  readonly site: ApiSite;
  defaults: KommoDefaults;
  delayMs: number;
  rateLimitPerSecond: number | undefined;
  private readonly server: Server;
  private readonly closing = new AbortController();
  private readonly initial: { accessToken: string; delayMs: number; rateLimitPerSecond: number | undefined };
  private readonly seed: () => KommoDefaults;
  private currentToken: string;

  private constructor(parts: FakeKommoParts, server: Server, base: string) {
    ({ router: this.router, store: this.store, oauth: this.oauth, faults: this.faults, traffic: this.traffic, account: this.account } = parts);
    this.delayMs = parts.delayMs;
    this.rateLimitPerSecond = parts.rateLimitPerSecond;
    this.initial = { accessToken: parts.accessToken, delayMs: parts.delayMs, rateLimitPerSecond: parts.rateLimitPerSecond };
    this.seed = parts.seed;
    this.currentToken = parts.accessToken;
    this.defaults = parts.seed();
    this.server = server;
    this.site = { base, accountId: parts.account.accountId };
  }

  static async listen(parts: FakeKommoParts): Promise<FakeKommo> {
    // The server needs the fake to handle requests and the fake needs the server's port.
    const ref: { fake?: FakeKommo } = {};
    const server = createServer((req, res) => {
      // A client that hangs up mid-body leaves nothing to answer.
      if (ref.fake) handleRequest(ref.fake, req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    ref.fake = new FakeKommo(parts, server, `http://127.0.0.1:${port}`);
    return ref.fake;
  }

  /** Origin to use as the account's Kommo base URL, e.g. `http://127.0.0.1:54321`. */
  get baseUrl(): string {
    return this.site.base;
  }

  /** The token most recently made valid by the options or `setAccessToken` (OAuth-issued ones also work). */
  get accessToken(): string {
    return this.currentToken;
  }

  get requests(): readonly RecordedRequest[] {
    return this.traffic.requests;
  }

  setAccessToken(token: string): void {
    this.currentToken = token;
    this.oauth.setAccessToken(token);
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  setRateLimit(perSecond: number | undefined): void {
    this.rateLimitPerSecond = perSecond;
  }

  setWebhooksForbidden(forbidden: boolean): void {
    this.flags.webhooksForbidden = forbidden;
  }

  inject(rule: FaultRule): FaultHandle {
    return this.faults.add(rule);
  }

  /**
   * Every API call of the account answers like a blocked Kommo account until the handle is
   * cancelled: 402 unpaid, 403 access restricted, 401 token refused.
   */
  blockAccount(status: 401 | 402 | 403): FaultHandle {
    const detail = { 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden' }[status];
    const body = JSON.stringify({ title: detail, type: `https://httpstatus.es/${status}`, status, detail });
    return this.faults.add({ path: /^\/api\/v4\//, status, body, contentType: 'application/problem+json', times: Infinity });
  }

  clearFaults(): void {
    this.faults.clear();
  }

  maxRequestsPerSecond(filter?: (r: RecordedRequest) => boolean): number {
    return this.traffic.maxRequestsPerSecond(filter);
  }

  addUser(input: AddUserInput): UserRecord {
    return this.store.addUser(input);
  }

  addPipeline(input: AddPipelineInput): PipelineRecord {
    return this.store.addPipeline(input);
  }

  addCustomField(input: AddCustomFieldInput): CustomFieldRecord {
    return this.store.addCustomField(input);
  }

  addContact(input: AddContactInput): ContactRecord {
    return this.store.addContact(input);
  }

  addLead(input: AddLeadInput): LeadRecord {
    return this.store.addLead(input);
  }

  /** A company; deals join it with `addLead({ companyId })`. */
  addCompany(input: AddCompanyInput): CompanyRecord {
    return addCompany(this.store, input);
  }

  /** Moves a deal to another company (or none) as a user would (the `update_lead` webhook is sent by the test). */
  setLeadCompany(leadId: number, companyId: number | null): LeadRecord {
    const lead = this.store.requireLead(leadId);
    if (companyId !== null && !this.store.companies.has(companyId)) throw new Error(`unknown company ${companyId}`);
    lead.companyId = companyId;
    lead.updatedAt = this.store.now();
    return lead;
  }

  /** Edits a deal's amount as a user would (the `update_lead` webhook is sent by the test). */
  setLeadPrice(leadId: number, price: number): LeadRecord {
    const lead = this.store.requireLead(leadId);
    lead.price = price;
    lead.updatedAt = this.store.now();
    return lead;
  }

  setLeadStatus(leadId: number, statusId: number, pipelineId?: number): LeadRecord {
    return this.store.setLeadStatus(leadId, statusId, pipelineId);
  }

  lead(id: number): LeadRecord | undefined {
    return this.store.leads.get(id);
  }

  notes(leadId: number): NoteRecord[] {
    return this.store.notes.filter((n) => n.entityId === leadId);
  }

  /** Tasks on a lead, oldest first. */
  tasks(leadId: number): TaskRecord[] {
    return this.store.tasks.filter((t) => t.entityType === 'leads' && t.entityId === leadId);
  }

  /** First value of a lead's custom field, looked up by field id, name or code. */
  fieldValue(leadId: number, field: string | number): ScalarValue | undefined {
    const record = this.store.findField(field);
    return record ? this.store.leads.get(leadId)?.customFields.get(record.id)?.[0]?.value : undefined;
  }

  webhooks(): WebhookRecord[] {
    return [...this.store.webhooks.values()];
  }

  /** POSTs the `leads[status]` delivery for the lead's latest stage change to `url`; resolves to the HTTP status. */
  sendStatusWebhook(url: string, leadId: number): Promise<number> {
    return postWebhook(url, statusWebhookBody(this.store, this.account, leadId));
  }

  /** Delivers the lead's stage change to every registered webhook subscribed to `status_lead`. */
  async deliverStatusWebhooks(leadId: number): Promise<{ destination: string; status: number }[]> {
    const body = statusWebhookBody(this.store, this.account, leadId);
    const hooks = this.webhooks().filter((w) => !w.disabled && w.settings.includes('status_lead'));
    return Promise.all(hooks.map(async (w) => ({ destination: w.destination, status: await postWebhook(w.destination, body) })));
  }

  /** A person writing a text note in the deal in Kommo's UI (no webhook is sent until `deliverNoteWebhooks`). */
  addUserNote(leadId: number, text: string, userId: number): NoteRecord {
    this.store.requireLead(leadId);
    return this.store.addNote(leadId, 'common', { text }, userId);
  }

  /** The `leads[note]` delivery Kommo sends for a note. */
  noteWebhookBody(noteId: number): string {
    return noteWebhookBody(this.store, this.account, noteId);
  }

  /** Delivers the note to every registered webhook subscribed to `note_lead`, as Kommo does for notes made in the UI or through the API. */
  async deliverNoteWebhooks(noteId: number): Promise<{ destination: string; status: number }[]> {
    const body = this.noteWebhookBody(noteId);
    const hooks = this.webhooks().filter((w) => !w.disabled && w.settings.includes('note_lead'));
    return Promise.all(hooks.map(async (w) => ({ destination: w.destination, status: await postWebhook(w.destination, body) })));
  }

  /** Back to a freshly started fake: default seed, no faults, empty log, initial token and delay. */
  reset(): void {
    this.store.clear();
    this.defaults = this.seed();
    this.faults.clear();
    this.traffic.clear();
    this.oauth.reset(this.initial.accessToken);
    this.currentToken = this.initial.accessToken;
    this.flags.webhooksForbidden = false;
    this.delayMs = this.initial.delayMs;
    this.rateLimitPerSecond = this.initial.rateLimitPerSecond;
  }

  /** Stops the server, dropping hung (timeout-fault) and keep-alive connections. */
  async close(): Promise<void> {
    this.closing.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  get lifetime(): AbortSignal {
    return this.closing.signal;
  }
}
