/**
 * The customer step, after the issue exists and apart from it (its own job, so a failure here
 * never fails the won deal): the deal's company becomes a Linear customer (upserted by our
 * external id, so every run converges), and each linked issue gets the deal as one customer
 * request. The request's id is stored before the call and looked for on a retry: a crash between
 * the upsert and the request, or a lost answer, never makes a second one.
 */
import { kommoDealUrl, KOMMO_WON_STATUS_ID } from '../../../shared/kommo';
import type { DealLink } from '../../domain/link';
import { toAppError } from '../../errors';
import type { CustomerUpsertInput, KommoLead } from '../ports';
import { contactEmail, fieldText, fieldValue, mainContactId } from '../won/deal-fields';
import { resolveAssignee } from '../won/issue-target';
import { companyEmails, companyExternalId, companyIdOf, domainExternalId, needBody, tierFor, uniqueDomains, wonRevenue, companyDomain } from './customer-input';
import type { CustomerFlowDeps, CustomerSyncRow } from './deps';

/** Contacts read for domains: the main one first; a few are enough to find the company's domains. */
const MAX_CONTACTS = 3;
/** Linear's priority for Urgent; its requests are marked important. */
const URGENT = 1;

export type CustomerOutcome =
  | { kind: 'synced'; externalId: string; needsCreated: number }
  | { kind: 'skipped'; reason: 'disabled' | 'no-issue' | 'no-customer' | 'feature-unavailable' };

export async function syncCustomer(deps: CustomerFlowDeps, leadId: number): Promise<CustomerOutcome> {
  const { installation } = deps;
  if (!installation.settings.customers.enabled) return { kind: 'skipped', reason: 'disabled' };
  const links = (await deps.links.listForLead(installation.id, leadId)).filter((l) => l.status === 'linked' && l.issue && !l.issueDeleted);
  if (links.length === 0) return { kind: 'skipped', reason: 'no-issue' };
  const rows = await Promise.all(links.map((l) => deps.syncs.claim({ installationId: installation.id, linkId: l.id, leadId })));
  try {
    if (!(await deps.linear.customersEnabled())) return { kind: 'skipped', reason: 'feature-unavailable' };
    const lead = await deps.kommo.getLead(leadId);
    const customer = await customerOf(deps, lead);
    if (!customer) return { kind: 'skipped', reason: 'no-customer' };
    await deps.linear.upsertCustomer(customer);
    const fields = await deps.referenceData.leadFields();
    const body = needBody(fieldText(fieldValue(lead, fields, installation.settings.fields.spec)), lead.name);
    let needsCreated = 0;
    for (const [i, link] of links.entries()) {
      const row = rows[i];
      if (row && (await ensureNeed(deps, link, row, customer.externalId, body))) needsCreated++;
    }
    await deps.syncs.markSynced(installation.id, leadId);
    return { kind: 'synced', externalId: customer.externalId, needsCreated };
  } catch (thrown) {
    const error = toAppError(thrown);
    await deps.syncs.markError(installation.id, leadId, { code: error.code, message: error.message });
    throw error;
  }
}

/** The company (with its won revenue), else the main contact's email domain; undefined when neither. */
async function customerOf(deps: CustomerFlowDeps, lead: KommoLead): Promise<CustomerUpsertInput | undefined> {
  const { referenceData, installation } = deps;
  const main = mainContactId(lead);
  const contactIds = [...new Set([...(main === undefined ? [] : [main]), ...(lead._embedded?.contacts ?? []).map((c) => c.id)])].slice(0, MAX_CONTACTS);
  const companyId = companyIdOf(lead);
  const [contacts, company, manager, linearUsers, fields] = await Promise.all([
    Promise.all(contactIds.map((id) => deps.kommo.getContact(id))),
    companyId === undefined ? undefined : deps.kommo.getCompany(companyId),
    lead.responsible_user_id == null ? undefined : referenceData.kommoUser(lead.responsible_user_id),
    referenceData.linearUsers(),
    referenceData.leadFields(),
  ]);
  const emails = contacts.map(contactEmail).filter((e): e is string => e !== undefined);
  const ownerId = resolveAssignee(manager, linearUsers, installation.settings).assigneeId;
  const tierName = tierFor(lead, fields, installation.settings.customers.tierRule);
  const extra = { ...(ownerId ? { ownerId } : {}), ...(tierName ? { tierName } : {}) };
  if (company) {
    const leadIds = [...new Set([lead.id, ...(company._embedded?.leads ?? []).map((l) => l.id)])];
    const revenue = wonRevenue(await deps.kommo.leadsByIds(leadIds), KOMMO_WON_STATUS_ID);
    const domains = uniqueDomains([...companyEmails(company), ...emails]);
    return { externalId: companyExternalId(company.id), name: company.name || `Company #${company.id}`, revenue, ...(domains.length > 0 ? { domains } : {}), ...extra };
  }
  const domain = emails[0] === undefined ? undefined : companyDomain(emails[0]);
  // Without a company there is no set of deals to sum: the domain's customer carries no revenue.
  return domain ? { externalId: domainExternalId(domain), name: domain, domains: [domain], ...extra } : undefined;
}

/** True when this run created the request. */
async function ensureNeed(deps: CustomerFlowDeps, link: DealLink, row: CustomerSyncRow, customerExternalId: string, body: string): Promise<boolean> {
  if (row.needDoneAt) return false;
  const dealUrl = kommoDealUrl(deps.installation.kommoBaseUrl, link.leadId);
  if (row.needStartedAt) {
    // An earlier attempt may have reached Linear: its request (our id, or the deal's URL) is adopted.
    const needs = await deps.linear.issueNeeds(link.linearIssueId);
    if (!needs || needs.some((n) => n.id === row.needId || n.url === dealUrl)) {
      await deps.syncs.markNeedDone(link.id);
      return false;
    }
  } else {
    await deps.syncs.markNeedStarted(link.id, customerExternalId);
  }
  await deps.linear.createCustomerNeedWithId({
    id: row.needId,
    issueId: link.linearIssueId,
    customerExternalId,
    attachmentUrl: dealUrl,
    body,
    priority: link.issue?.priority === URGENT ? 1 : 0,
  });
  await deps.syncs.markNeedDone(link.id);
  return true;
}
