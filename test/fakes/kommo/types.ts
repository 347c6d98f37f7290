/** Records the fake keeps per Kommo account. Times are unix seconds, ids are integers, as in API v4. */

export const WON_STATUS_ID = 142;
export const LOST_STATUS_ID = 143;

export type CustomFieldType =
  | 'text'
  | 'numeric'
  | 'checkbox'
  | 'select'
  | 'multiselect'
  | 'multitext'
  | 'date'
  | 'url'
  | 'textarea'
  | 'radiobutton'
  | 'streetaddress'
  | 'smart_address'
  | 'birthday'
  | 'legal_entity'
  | 'date_time'
  | 'items'
  | 'category'
  | 'price'
  | 'tracking_data'
  | 'linked_entity'
  | 'org_legal_name'
  | 'monetary'
  | 'chained_list'
  | 'file'
  | 'payer'
  | 'supplier';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type ScalarValue = string | number | boolean;

export interface FieldValue {
  value: ScalarValue;
  enumId?: number;
  enumCode?: string;
}

export interface UserRecord {
  id: number;
  name: string;
  email: string;
  lang: string;
  isAdmin: boolean;
  isFree: boolean;
  isActive: boolean;
}

export interface StatusRecord {
  id: number;
  name: string;
  sort: number;
  /** 1 = "incoming leads" (unsorted) stage, 0 = every other stage, including won/lost. */
  type: 0 | 1;
  color: string;
  isEditable: boolean;
  pipelineId: number;
}

export interface PipelineRecord {
  id: number;
  name: string;
  sort: number;
  isMain: boolean;
  statuses: StatusRecord[];
}

export interface EnumRecord {
  id: number;
  value: string;
  sort: number;
}

export interface CustomFieldRecord {
  id: number;
  name: string;
  type: CustomFieldType;
  code: string | null;
  sort: number;
  isApiOnly: boolean;
  enums: EnumRecord[] | null;
}

export interface ContactRecord {
  id: number;
  name: string;
  firstName: string;
  lastName: string;
  responsibleUserId: number;
  emails: string[];
  phones: string[];
  createdAt: number;
  updatedAt: number;
}

export interface TagRecord {
  id: number;
  name: string;
  color: string | null;
}

export interface LeadRecord {
  id: number;
  name: string;
  price: number;
  responsibleUserId: number;
  groupId: number;
  statusId: number;
  pipelineId: number;
  /** Remembered so a status webhook can carry `old_status_id`. */
  oldStatusId: number;
  oldPipelineId: number;
  createdBy: number;
  updatedBy: number;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  tags: TagRecord[];
  contactIds: number[];
  mainContactId: number | null;
  /** Kommo links a deal to at most one company. */
  companyId: number | null;
  customFields: Map<number, FieldValue[]>;
  isDeleted: boolean;
}

export interface CompanyRecord {
  id: number;
  name: string;
  responsibleUserId: number;
  emails: string[];
  contactIds: number[];
  createdAt: number;
  updatedAt: number;
}

export type NoteType = 'common' | 'service_message';

export interface NoteRecord {
  id: number;
  entityId: number;
  noteType: NoteType | string;
  params: { [key: string]: Json };
  createdBy: number;
  createdAt: number;
}

/** Kommo's built-in task types: 1 follow-up (call), 2 meeting; accounts may add their own. */
export const BUILTIN_TASK_TYPES = [1, 2] as const;

export type TaskEntityType = 'leads' | 'contacts' | 'companies' | 'customers';

export interface TaskRecord {
  id: number;
  entityId: number | null;
  entityType: TaskEntityType | null;
  responsibleUserId: number;
  taskTypeId: number;
  text: string;
  /** Unix seconds. */
  completeTill: number;
  duration: number;
  isCompleted: boolean;
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export interface WebhookRecord {
  id: number;
  destination: string;
  settings: string[];
  sort: number;
  disabled: boolean;
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export interface AccountSettings {
  accountId: number;
  subdomain: string;
  currency: string;
  timezone: string;
  language: string;
}
