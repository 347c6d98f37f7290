/**
 * Deals for the Won-flow tests (any trigger stage, the Digital Pipeline): a seeded deal with its
 * manager and contact, and waits for what the server makes of it.
 */
import type { LeadRecord } from '../fakes/kommo';
import type { Stack } from './stack';
import { waitFor } from './wait-for';

export interface DealOptions {
  spec?: string;
  deadline?: Date;
  tags?: string[];
  withContact?: boolean;
  managerEmail?: string;
  /** Default: Won. */
  statusId?: number;
  pipelineId?: number;
}

export function seedDeal(stack: Pick<Stack, 'kommo'>, overrides: DealOptions = {}): LeadRecord {
  const { kommo } = stack;
  const manager = kommo.addUser({ name: 'Maria Sales', email: overrides.managerEmail ?? 'Maria.Sales@Example.com' });
  const contact = kommo.addContact({ name: 'John Buyer', email: 'john@buyer.io' });
  const fields: Record<number, string | Date> = {};
  if (overrides.spec !== undefined) fields[kommo.defaults.specFieldId] = overrides.spec;
  if (overrides.deadline) fields[kommo.defaults.deadlineFieldId] = overrides.deadline;
  return kommo.addLead({
    name: 'ACME onboarding',
    price: 5000,
    responsibleUserId: manager.id,
    statusId: overrides.statusId ?? kommo.defaults.wonStatusId,
    ...(overrides.pipelineId !== undefined ? { pipelineId: overrides.pipelineId } : {}),
    tags: overrides.tags ?? [],
    ...(overrides.withContact === false ? {} : { contactIds: [contact.id], mainContactId: contact.id }),
    customFields: fields,
  });
}

/** The Linear issues back-linked to the deal, now. */
export function issuesOf(stack: Pick<Stack, 'linear'>, leadId: number) {
  const ids = new Set(stack.linear.store.attachments().filter((a) => a.url.endsWith(`/leads/detail/${leadId}`)).map((a) => a.issueId));
  return stack.linear.store.issues().filter((i) => ids.has(i.id));
}

/** The deal's first back-linked issue, once it exists. */
export function issueFor(stack: Pick<Stack, 'linear'>, leadId: number) {
  return waitFor(`the issue of lead ${leadId}`, () => stack.linear.store.attachments().find((a) => a.url.endsWith(`/leads/detail/${leadId}`))).then(
    (attachment) => stack.linear.store.issue(attachment.issueId),
  );
}

export function noteFor(stack: Pick<Stack, 'kommo'>, leadId: number) {
  return waitFor(`the note of lead ${leadId}`, () => stack.kommo.notes(leadId)[0]);
}
