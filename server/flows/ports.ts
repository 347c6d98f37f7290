/**
 * What the flows need from outside, declared here so that a flow depends on these interfaces and
 * never on a client, a repository or the queue. The Kommo and Linear clients, the link repository
 * and the reference data satisfy them (checked where the jobs and routes bind them). The data
 * shapes are the platforms' answers as our clients parse them: imported as types only, here and
 * nowhere else in flows/.
 */
import type { DealLink, LinkStep, PendingNote, ClaimInput, LinkError, LinkTask, LinkTrigger, LinkWarning } from '../domain/link';
import type { IssueSnapshot, NotedState } from '../domain/issue-snapshot';
import type { KommoAccount, KommoCompany, KommoContact, KommoCustomField, KommoLead, KommoNote, KommoPipeline, KommoTaskInput, KommoUser } from '../kommo/schemas';
import type {
  AttachmentInput,
  CommentCreateInput,
  IssueCreateInput,
  LinearComment,
  LinearIssue,
  LinearSearchResult,
  LinearState,
  LinearTeam,
  LinearTemplate,
  LinearUser,
  LinearViewer,
} from '../linear/schemas';
import type { CustomerNeedInput, CustomerUpsertInput, LinearCustomerNeed } from '../linear/schemas';

export type { KommoAccount, KommoCompany, KommoContact, KommoCustomField, KommoLead, KommoNote, KommoPipeline, KommoUser, KommoTaskInput };
export type { CustomerNeedInput, CustomerUpsertInput, LinearCustomerNeed };
export type { AttachmentInput, CommentCreateInput, IssueCreateInput, LinearComment, LinearIssue, LinearSearchResult, LinearState, LinearTeam, LinearTemplate, LinearUser, LinearViewer };

/** The Kommo API calls flows make for one installation (throttled and authenticated by the client). */
export interface KommoPort {
  getLead(leadId: number): Promise<KommoLead>;
  getContact(contactId: number): Promise<KommoContact>;
  getCompany(companyId: number): Promise<KommoCompany>;
  leadsByIds(ids: number[]): Promise<KommoLead[]>;
  listLeads(query: Record<string, string | number>): Promise<KommoLead[]>;
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
}

/** The Linear API calls flows make for one installation. */
export interface LinearPort {
  viewer(): Promise<LinearViewer>;
  /** By UUID or identifier (ENG-42); undefined when Linear has no such issue. */
  issue(idOrIdentifier: string): Promise<LinearIssue | undefined>;
  /** Creates the issue with our id, or returns the one an earlier attempt created with it. */
  createIssueWithId(input: IssueCreateInput): Promise<LinearIssue>;
  upsertAttachment(input: AttachmentInput): Promise<void>;
  removeAttachment(issueId: string, url: string): Promise<void>;
  searchIssues(term: string): Promise<LinearSearchResult[]>;
  issuesChangedSince(ids: string[], since: string | undefined): Promise<LinearIssue[]>;
  /** Creates the comment with our pre-generated id; an id already taken means an earlier attempt made it. */
  createCommentWithId(input: CommentCreateInput): Promise<void>;
  /** Comments made on any of `issueIds` after `since` (ISO), oldest first. */
  commentsSince(issueIds: string[], since: string): Promise<LinearComment[]>;
  customersEnabled(): Promise<boolean>;
  upsertCustomer(input: CustomerUpsertInput): Promise<{ id: string }>;
  createCustomerNeedWithId(input: CustomerNeedInput): Promise<void>;
  moveCustomerNeed(needId: string, customerExternalId: string): Promise<void>;
  issueNeeds(issueId: string): Promise<LinearCustomerNeed[] | undefined>;
}

/** Slow-changing lists of both platforms, cached: a warm read costs no request. */
export interface ReferenceDataPort {
  account(): Promise<KommoAccount>;
  kommoUsers(): Promise<KommoUser[]>;
  /** Finds a Kommo user, reloading the list once when the id is unknown (a new hire). */
  kommoUser(id: number): Promise<KommoUser | undefined>;
  leadFields(): Promise<KommoCustomField[]>;
  /** The lead field with this name or id, created as a text field when `create` and missing. */
  leadField(nameOrId: string, create: boolean): Promise<KommoCustomField | undefined>;
  pipelines(): Promise<KommoPipeline[]>;
  teams(): Promise<LinearTeam[]>;
  states(teamId: string): Promise<LinearState[]>;
  linearUsers(): Promise<LinearUser[]>;
  projects(): Promise<Array<{ id: string; name: string }>>;
  labels(): Promise<Array<{ id: string; name: string; teamId: string | null }>>;
  /** The issue templates a team can use: its own and the workspace's. */
  templates(teamId: string): Promise<LinearTemplate[]>;
}

/** The deal links of one database, as the flows use them (the repository with its connection applied). */
export interface LinkStore {
  claim(input: ClaimInput): Promise<DealLink>;
  find(installationId: string, leadId: number, linkKey: string): Promise<DealLink | undefined>;
  findById(installationId: string, id: string): Promise<DealLink | undefined>;
  listForLead(installationId: string, leadId: number): Promise<DealLink[]>;
  listForIssue(installationId: string, issueId: string): Promise<DealLink[]>;
  listForReconcile(installationId: string): Promise<{ issueIds: string[]; withPending: DealLink[] }>;
  /** Links still to be created (creating or retrying), e.g. those that waited while Kommo refused the account. */
  listWaiting(installationId: string): Promise<DealLink[]>;
  markIssueCreated(id: string, issue: IssueSnapshot, warnings: LinkWarning[], dealDeadline?: string | null, noteStarted?: boolean, trigger?: LinkTrigger): Promise<void>;
  markStep(id: string, step: LinkStep): Promise<void>;
  markLinked(id: string): Promise<void>;
  markProblem(id: string, status: 'retrying' | 'failed', error: LinkError): Promise<void>;
  markUnlinked(id: string): Promise<void>;
  acquireLease(id: string, owner: string, seconds: number): Promise<boolean>;
  releaseLease(id: string, owner: string): Promise<void>;
  /** Waits up to `maxWaitMs` for the lease to be released by its holder, then takes it. */
  awaitLease(id: string, owner: string, seconds: number, maxWaitMs: number): Promise<boolean>;
  linkExisting(input: { installationId: string; leadId: number; issueId: string; issue: IssueSnapshot }): Promise<DealLink>;
  updateSnapshot(id: string, issue: IssueSnapshot, deleted: boolean): Promise<boolean>;
  advanceNoted(id: string, from: NotedState | null, to: NotedState, notes: PendingNote[]): Promise<boolean>;
  setPendingNotes(id: string, notes: PendingNote[]): Promise<void>;
  /** The follow-up task just made for the deal's manager (the card shows the last one). */
  setLastTask(id: string, task: LinkTask): Promise<void>;
  remove(id: string): Promise<void>;
  countAttempt(id: string): Promise<void>;
  resetForRetry(id: string): Promise<void>;
}
