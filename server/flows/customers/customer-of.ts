/**
 * Who the deal's Linear customer is: its company (name, domains, won revenue, owner, tier), else
 * its main contact's email domain. Two Kommo reads for a company (the company with its deals'
 * ids, then those deals), plus the contacts for the domains.
 */
import { KOMMO_WON_STATUS_ID } from '../../../shared/kommo';
import type { CustomerUpsertInput, KommoLead } from '../ports';
import { contactEmail, mainContactId } from '../won/deal-fields';
import { resolveAssignee } from '../won/issue-target';
import { companyDomain, companyEmails, companyExternalId, companyIdOf, domainExternalId, tierFor, uniqueDomains, wonRevenue } from './customer-input';
import type { CustomerFlowDeps } from './deps';

/** Contacts read for domains: the main one first; a few are enough to find the company's domains. */
const MAX_CONTACTS = 3;

/** The company (with its won revenue), else the main contact's email domain; undefined when neither. */
export async function customerOf(deps: CustomerFlowDeps, lead: KommoLead): Promise<CustomerUpsertInput | undefined> {
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
    const revenue = await companyRevenue(deps, company, lead.id);
    // Only the company's own addresses: Linear matches an upsert to the customer that has one of
    // its domains, so a deal moved to another company would merge that company into the old one.
    const members = new Set((company._embedded?.contacts ?? []).map((c) => c.id));
    const memberEmails = contacts.filter((c) => members.has(c.id)).map(contactEmail).filter((e): e is string => e !== undefined);
    const domains = uniqueDomains([...companyEmails(company), ...memberEmails]);
    return { externalId: companyExternalId(company.id), name: company.name || `Company #${company.id}`, revenue, ...(domains.length > 0 ? { domains } : {}), ...extra };
  }
  const domain = emails[0] === undefined ? undefined : companyDomain(emails[0]);
  // Without a company there is no set of deals to sum: the domain's customer carries no revenue.
  return domain ? { externalId: domainExternalId(domain), name: domain, domains: [domain], ...extra } : undefined;
}

async function companyRevenue(deps: Pick<CustomerFlowDeps, 'kommo'>, company: { _embedded?: { leads?: Array<{ id: number }> | null } | null }, dealId?: number): Promise<number> {
  const ids = [...new Set([...(dealId === undefined ? [] : [dealId]), ...(company._embedded?.leads ?? []).map((l) => l.id)])];
  return ids.length === 0 ? 0 : wonRevenue(await deps.kommo.leadsByIds(ids), KOMMO_WON_STATUS_ID);
}

/** The revenue of a company customer again (a deal left it); a domain customer has none to refresh. */
export async function refreshRevenue(deps: Pick<CustomerFlowDeps, 'kommo' | 'linear'>, externalId: string): Promise<void> {
  const companyId = /^kommo-company:(\d+)$/.exec(externalId)?.[1];
  if (!companyId) return;
  const company = await deps.kommo.getCompany(Number(companyId));
  await deps.linear.upsertCustomer({ externalId, name: company.name || `Company #${company.id}`, revenue: await companyRevenue(deps, company) });
}
