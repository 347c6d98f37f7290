/**
 * Linear Customers in the fake: `customerUpsert` matches on id, an external id or a domain (as
 * Linear documents), and `customerNeedCreate` attaches a request to an issue, its source URL
 * becoming (or reusing) the issue's attachment of that URL. A workspace without the feature
 * refuses both.
 */
import { entityNotFound, inputError } from './errors';
import { upsertAttachment } from './attachment-ops';
import type { CustomerNeedCreateFields, CustomerNeedUpdateFields, CustomerUpsertFields } from './inputs';
import type { FakeLinearStore } from './store';
import type { CustomerNeedRecord, CustomerRecord } from './types';
import { UUID_V4, newId, nowIso, slugify } from './util';

function requireFeature(store: FakeLinearStore): void {
  if (!store.organization.customersEnabled) throw inputError('Customers are not enabled for this workspace', 'Your plan does not include Customers');
}

export function upsertCustomer(store: FakeLinearStore, input: CustomerUpsertFields): CustomerRecord {
  requireFeature(store);
  const domains = input.domains?.map((d) => d.toLowerCase());
  // Matched in this order: the id, an external id, the Slack channel, then a shared domain.
  const all = store.customers();
  const existing =
    all.find((c) => input.id != null && c.id === input.id) ??
    all.find((c) => input.externalId != null && c.externalIds.includes(input.externalId)) ??
    all.find((c) => input.slackChannelId != null && c.slackChannelId === input.slackChannelId) ??
    all.find((c) => (domains ?? []).some((d) => c.domains.includes(d)));
  const taken = (domains ?? []).find((d) => store.customers().some((c) => c !== existing && c.domains.includes(d)));
  if (taken) throw inputError(`Domain ${taken} is already used by another customer`);
  if (input.ownerId != null && !store.usersById.has(input.ownerId)) throw entityNotFound('User');
  const at = nowIso();
  if (existing) {
    if (input.name != null) existing.name = input.name;
    if (domains) existing.domains = domains;
    if (input.externalId != null && !existing.externalIds.includes(input.externalId)) existing.externalIds.push(input.externalId);
    if (input.revenue !== undefined) existing.revenue = input.revenue;
    if (input.size !== undefined) existing.size = input.size;
    if (input.ownerId !== undefined) existing.ownerId = input.ownerId;
    if (input.tierName != null) existing.tierName = input.tierName;
    if (input.slackChannelId !== undefined) existing.slackChannelId = input.slackChannelId;
    existing.updatedAt = at;
    return existing;
  }
  if (!input.name) throw inputError('name is required when creating a customer');
  if (input.id != null && !UUID_V4.test(input.id)) throw inputError('id must be a UUID v4');
  const customer: CustomerRecord = {
    id: input.id ?? newId(),
    name: input.name,
    domains: domains ?? [],
    externalIds: input.externalId != null ? [input.externalId] : [],
    revenue: input.revenue ?? null,
    size: input.size ?? null,
    ownerId: input.ownerId ?? null,
    tierName: input.tierName ?? null,
    slackChannelId: input.slackChannelId ?? null,
    slugId: slugify(input.name),
    createdAt: at,
    updatedAt: at,
  };
  store.customersById.set(customer.id, customer);
  return customer;
}

export function createCustomerNeed(store: FakeLinearStore, input: CustomerNeedCreateFields): CustomerNeedRecord {
  requireFeature(store);
  if (input.id != null && !UUID_V4.test(input.id)) throw inputError('id must be a UUID v4');
  if (input.id != null && store.needsById.has(input.id)) throw inputError(`Entity CustomerNeed with id ${input.id} already exists.`);
  if (!input.issueId) throw inputError('Either issueId or projectId must be provided');
  const issue = store.findIssue(input.issueId);
  if (!issue) throw entityNotFound('Issue');
  if (input.customerId != null && input.customerExternalId != null) throw inputError('customerId and customerExternalId cannot be used together');
  const customer =
    input.customerId != null
      ? store.customersById.get(input.customerId)
      : input.customerExternalId != null
        ? store.customers().find((c) => c.externalIds.includes(input.customerExternalId ?? ''))
        : undefined;
  if ((input.customerId != null || input.customerExternalId != null) && !customer) throw entityNotFound('Customer');
  const attachment = input.attachmentUrl ? upsertAttachment(store, { issueId: issue.id, url: input.attachmentUrl, title: input.attachmentUrl }) : undefined;
  const at = nowIso();
  const need: CustomerNeedRecord = {
    id: input.id ?? newId(),
    issueId: issue.id,
    customerId: customer?.id ?? null,
    attachmentId: attachment?.id ?? input.attachmentId ?? null,
    body: input.body ?? null,
    priority: input.priority ?? 0,
    createdAt: at,
    updatedAt: at,
  };
  store.needsById.set(need.id, need);
  return need;
}

export function updateCustomerNeed(store: FakeLinearStore, id: string, input: CustomerNeedUpdateFields): CustomerNeedRecord {
  requireFeature(store);
  const need = store.needsById.get(id);
  if (!need) throw entityNotFound('CustomerNeed');
  if (input.customerId != null || input.customerExternalId != null) {
    const customer =
      input.customerId != null ? store.customersById.get(input.customerId) : store.customers().find((c) => c.externalIds.includes(input.customerExternalId ?? ''));
    if (!customer) throw entityNotFound('Customer');
    need.customerId = customer.id;
  }
  if (input.body !== undefined) need.body = input.body;
  if (input.priority != null) need.priority = input.priority;
  if (input.issueId != null) {
    const issue = store.findIssue(input.issueId);
    if (!issue) throw entityNotFound('Issue');
    need.issueId = issue.id;
  }
  need.updatedAt = nowIso();
  return need;
}
