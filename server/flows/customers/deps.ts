/** What the customer step needs: the deal's links, its own stamps, and the Kommo and Linear calls it makes. */
import type { Installation } from '../../domain/installation';
import type { Logger } from '../../log';
import type { KommoPort, LinearPort, LinkStore, ReferenceDataPort } from '../ports';

export interface CustomerSyncRow {
  linkId: string;
  needId: string;
  /** The customer the request belongs to, as last written. */
  customerExternalId: string | null;
  needStartedAt: Date | null;
  needDoneAt: Date | null;
}

/** The `customer_syncs` rows of the deal's links (the repository with its connection applied). */
export interface CustomerSyncStore {
  claim(input: { installationId: string; linkId: string; leadId: number }): Promise<CustomerSyncRow>;
  markNeedStarted(linkId: string, customerExternalId: string): Promise<void>;
  markNeedDone(linkId: string, needId?: string): Promise<void>;
  setCustomer(linkId: string, customerExternalId: string): Promise<void>;
  markSynced(installationId: string, leadId: number): Promise<void>;
  markError(installationId: string, leadId: number, error: { code: string; message: string }): Promise<void>;
}

export interface CustomerFlowDeps {
  installation: Installation;
  links: Pick<LinkStore, 'listForLead'>;
  syncs: CustomerSyncStore;
  kommo: Pick<KommoPort, 'getLead' | 'getContact' | 'getCompany' | 'leadsByIds'>;
  linear: Pick<LinearPort, 'customersEnabled' | 'upsertCustomer' | 'createCustomerNeedWithId' | 'moveCustomerNeed' | 'issueNeeds'>;
  referenceData: Pick<ReferenceDataPort, 'account' | 'kommoUser' | 'linearUsers' | 'leadFields'>;
  log: Logger;
}
