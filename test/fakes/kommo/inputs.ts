import type { CustomFieldType, ScalarValue } from './types';

// What tests pass to seed the fake account; omitted fields get sensible defaults.

export interface AddUserInput { name: string; email: string; isAdmin?: boolean; lang?: string; isActive?: boolean }
export interface AddPipelineInput { name: string; isMain?: boolean; openStages?: string[] }
export interface AddCustomFieldInput {
  name: string;
  type: CustomFieldType;
  code?: string | null;
  isApiOnly?: boolean;
  /** Option labels for select/multiselect/radiobutton fields. */
  enums?: string[];
  sort?: number;
}
export interface AddContactInput { name: string; email?: string; phone?: string; responsibleUserId?: number }
export type SeedFieldValue = ScalarValue | Date | (ScalarValue | Date)[];
export interface AddLeadInput {
  name: string;
  /** The deal's company (see companies.ts). */
  companyId?: number;
  price?: number;
  /** Defaults: the first user, the main pipeline and its first open stage. */
  responsibleUserId?: number;
  pipelineId?: number;
  statusId?: number;
  tags?: string[];
  contactIds?: number[];
  mainContactId?: number;
  /** Keyed by custom field id; dates may be given as `Date` or unix seconds. */
  customFields?: Record<number, SeedFieldValue>;
  createdAt?: number;
  updatedAt?: number;
}

export interface AddCompanyInput {
  name: string;
  responsibleUserId?: number;
  emails?: string[];
  contactIds?: number[];
}
