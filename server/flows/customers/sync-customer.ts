/**
 * The customer step, after the issue exists and apart from it (its own job, so a failure here
 * never fails the won deal): the deal's company becomes a Linear customer (upserted by our
 * external id, so every run converges), and each linked issue gets the deal as one customer
 * request. The request's id is stored before the call and looked for on a retry: a crash between
 * the upsert and the request, or a lost answer, never makes a second one.
 */
import { kommoDealUrl } from '../../../shared/kommo';
import type { DealLink } from '../../domain/link';
import { AppError, toAppError } from '../../errors';
import type { CustomerUpsertInput } from '../ports';
import { fieldText, fieldValue } from '../won/deal-fields';
import { needBody } from './customer-input';
import { customerOf, refreshRevenue } from './customer-of';
import type { CustomerFlowDeps, CustomerSyncRow } from './deps';

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
    await upsertKeepingDomains(deps, customer);
    const fields = await deps.referenceData.leadFields();
    const body = needBody(fieldText(fieldValue(lead, fields, installation.settings.fields.spec)), lead.name);
    let needsCreated = 0;
    const moved: Array<{ linkId: string; from: string }> = [];
    for (const [i, link] of links.entries()) {
      const row = rows[i];
      if (!row) continue;
      if (row.needDoneAt && row.customerExternalId && row.customerExternalId !== customer.externalId) {
        // The deal moved to another company: its request follows (moving again on a retry is harmless).
        await deps.linear.moveCustomerNeed(row.needId, customer.externalId);
        moved.push({ linkId: link.id, from: row.customerExternalId });
      } else if (await ensureNeed(deps, link, row, customer.externalId, body)) needsCreated++;
    }
    // The company the deal left loses its revenue; only then is the move recorded, so a retry redoes both.
    for (const from of new Set(moved.map((m) => m.from))) await refreshRevenue(deps, from);
    for (const m of moved) await deps.syncs.setCustomer(m.linkId, customer.externalId);
    await deps.syncs.markSynced(installation.id, leadId);
    return { kind: 'synced', externalId: customer.externalId, needsCreated };
  } catch (thrown) {
    const error = toAppError(thrown);
    await deps.syncs.markError(installation.id, leadId, { code: error.code, message: error.message });
    throw error;
  }
}

/**
 * Linear keeps a domain on one customer only: when another customer has one of ours (the deal's
 * contacts belong to another company too), the customer is still written, without domains.
 */
async function upsertKeepingDomains(deps: CustomerFlowDeps, customer: CustomerUpsertInput): Promise<void> {
  try {
    await deps.linear.upsertCustomer(customer);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'linear_invalid_input' || !/domain/i.test(error.message) || !customer.domains) throw error;
    deps.log.warn({ externalId: customer.externalId, reason: error.message }, 'customer domains taken by another customer; written without them');
    const { domains: _taken, ...rest } = customer;
    await deps.linear.upsertCustomer(rest);
  }
}

/** True when this run created the request. */
async function ensureNeed(deps: CustomerFlowDeps, link: DealLink, row: CustomerSyncRow, customerExternalId: string, body: string): Promise<boolean> {
  if (row.needDoneAt) return false;
  const dealUrl = kommoDealUrl(deps.installation.kommoBaseUrl, link.leadId);
  if (row.needStartedAt) {
    // An earlier attempt may have reached Linear: its request (our id, or the deal's URL) is adopted.
    const needs = await deps.linear.issueNeeds(link.linearIssueId);
    const made = needs?.find((n) => n.id === row.needId) ?? needs?.find((n) => n.url === dealUrl);
    if (!needs || made) {
      await deps.syncs.markNeedDone(link.id, made?.id);
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
