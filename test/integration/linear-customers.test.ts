/**
 * Linear Customers (opt-in): the won deal's company becomes a Linear customer with its won
 * revenue, the issue gets the deal as one customer request, an amount change updates the
 * customer, and a crash between the two calls never doubles the request.
 */
import { SettingsViewSchema } from '../../shared/settings-api';
import { kommoUpdateWebhook } from '../fixtures/kommo-webhook';
import { issueFor } from '../helpers/deals';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('Linear Customers', () => {
  let stack: Stack;
  let ownerId: string;

  beforeAll(async () => {
    stack = await startStack({
      settings: { customers: { enabled: true, tierRule: { tags: [{ tag: 'vip', tier: 'Enterprise' }] } }, priorityTags: [{ tag: 'urgent', priority: 1 }] },
      beforeStart: ({ linear }) => {
        ownerId = linear.store.addUser({ name: 'Maria Sales', email: 'maria.sales@example.com' }).id;
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });
  afterEach(() => {
    stack.linear.store.organization.customersEnabled = true;
  });

  function companyDeal(companyName: string, tags: string[] = []) {
    const { kommo } = stack;
    const manager = kommo.addUser({ name: 'Maria Sales', email: 'Maria.Sales@Example.com' });
    const work = kommo.addContact({ name: 'John Buyer', email: `john@${companyName.toLowerCase()}.io` });
    const personal = kommo.addContact({ name: 'Jane Buyer', email: 'jane.buyer@gmail.com' });
    const company = kommo.addCompany({ name: companyName, contactIds: [work.id, personal.id] });
    const won = kommo.defaults.wonStatusId;
    kommo.addLead({ name: 'Earlier deal', price: 1000, statusId: won, companyId: company.id });
    kommo.addLead({ name: 'Another earlier deal', price: 2000.4, statusId: won, companyId: company.id });
    kommo.addLead({ name: 'Open deal', price: 500, companyId: company.id });
    const lead = kommo.addLead({
      name: `${companyName} onboarding`,
      price: 5000,
      responsibleUserId: manager.id,
      statusId: won,
      companyId: company.id,
      contactIds: [work.id, personal.id],
      mainContactId: work.id,
      tags,
      customFields: { [kommo.defaults.specFieldId]: 'Set up the SSO integration.\n\nDetails follow in a call.' },
    });
    return { company, lead };
  }

  const customerOf = (companyId: number) => stack.linear.store.customers().find((c) => c.externalIds.includes(`kommo-company:${companyId}`));
  const dealUrl = (leadId: number) => stack.linear.store.attachments().find((a) => a.url.endsWith(`/leads/detail/${leadId}`))?.url;

  it('upserts the company as a customer and attaches the deal as one request to the issue', async () => {
    const { company, lead } = companyDeal('Acme', ['urgent', 'vip']);
    await stack.sendWon(lead.id);
    const issue = await issueFor(stack, lead.id);
    const need = await waitFor('the customer request', () => stack.linear.store.customerNeeds(issue?.id)[0]);
    const customer = customerOf(company.id);
    expect(customer).toMatchObject({ name: 'Acme', revenue: 8000, domains: ['acme.io'], ownerId, tierName: 'Enterprise' });
    expect(need).toMatchObject({ customerId: customer?.id, body: 'Set up the SSO integration.', priority: 1 });
    const attachment = stack.linear.store.attachmentsById.get(need.attachmentId ?? '');
    expect(attachment?.url).toBe(dealUrl(lead.id));
    // The request reuses the back-link of the deal's URL: still one attachment for the deal.
    expect(stack.linear.store.attachments().filter((a) => a.url === attachment?.url)).toHaveLength(1);
    await stack.idle();
    expect(stack.linear.store.customerNeeds(issue?.id)).toHaveLength(1);
    expect(stack.linear.store.customers().filter((c) => c.externalIds.includes(`kommo-company:${company.id}`))).toHaveLength(1);
  });

  async function sendEdited(lead: { id: number; name: string; statusId: number; pipelineId: number; price: number; responsibleUserId: number }) {
    const { account } = stack.kommo;
    const body = kommoUpdateWebhook({
      accountId: account.accountId,
      subdomain: account.subdomain,
      leads: [{ id: lead.id, name: lead.name, statusId: lead.statusId, pipelineId: lead.pipelineId, price: lead.price, responsibleUserId: lead.responsibleUserId }],
    });
    expect((await stack.postKommo(body)).status).toBe(200);
  }

  it('updates the revenue when the deal amount changes, without a second request', async () => {
    const { company, lead } = companyDeal('Globex');
    await stack.sendWon(lead.id);
    const issue = await issueFor(stack, lead.id);
    await waitFor('the customer request', () => stack.linear.store.customerNeeds(issue?.id)[0]);
    expect(customerOf(company.id)?.revenue).toBe(8000);
    await sendEdited(stack.kommo.setLeadPrice(lead.id, 7000));
    await waitFor('the new revenue', () => customerOf(company.id)?.revenue === 10000);
    await stack.idle();
    expect(stack.linear.store.customerNeeds(issue?.id)).toHaveLength(1);
  });

  it('moves the request to the new company when the deal changes company, and both revenues follow', async () => {
    const { company, lead } = companyDeal('Soylent');
    await stack.sendWon(lead.id);
    const issue = await issueFor(stack, lead.id);
    await waitFor('the customer request', () => stack.linear.store.customerNeeds(issue?.id)[0]);
    const other = stack.kommo.addCompany({ name: 'Soylent Holdings' });
    await sendEdited(stack.kommo.setLeadCompany(lead.id, other.id));
    await waitFor('the new customer', () => customerOf(other.id)?.revenue === 5000);
    await waitFor('the old revenue without the deal', () => customerOf(company.id)?.revenue === 3000);
    await stack.idle();
    const needs = stack.linear.store.customerNeeds(issue?.id);
    expect(needs).toHaveLength(1);
    expect(needs[0]?.customerId).toBe(customerOf(other.id)?.id);
  });

  it('creates no second request when the first was made but its answer was lost', async () => {
    const { lead } = companyDeal('Initech');
    stack.linear.inject({ operation: 'customerNeedCreate', kind: 'http500-after-commit', times: 1 });
    await stack.sendWon(lead.id);
    const issue = await issueFor(stack, lead.id);
    await waitFor('the request to be recorded as done', async () => {
      const row = await stack.db.db('customer_syncs').where({ lead_id: lead.id }).first();
      return row?.need_done_at != null;
    });
    await stack.idle();
    expect(stack.linear.store.customerNeeds(issue?.id)).toHaveLength(1);
  });

  it('keeps the deal linked, records the error and retries when the customer step fails', async () => {
    const { company, lead } = companyDeal('Umbrella');
    stack.linear.inject({ operation: 'customerUpsert', kind: 'http500', times: 2 });
    await stack.sendWon(lead.id);
    await waitFor('the customer error', async () => (await stack.db.db('customer_syncs').where({ lead_id: lead.id }).first())?.error_code != null);
    const link = await stack.db.db('deal_links').where({ lead_id: lead.id }).first();
    expect(link?.status).toBe('linked');
    await waitFor('the customer after the retries', () => customerOf(company.id));
    await waitFor('the error to be cleared', async () => (await stack.db.db('customer_syncs').where({ lead_id: lead.id }).first())?.error_code == null);
    expect(stack.kommo.notes(lead.id)).toHaveLength(1);
  });

  it('makes no customer in a workspace without the feature, and the deal is linked as usual', async () => {
    stack.linear.store.organization.customersEnabled = false;
    const { company, lead } = companyDeal('Hooli');
    await stack.sendWon(lead.id);
    await waitFor('the link to be linked', async () => (await stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' })).length === 1);
    await stack.idle();
    expect(customerOf(company.id)).toBeUndefined();
  });

  it('falls back to the main contact email domain for a deal without a company', async () => {
    const { kommo } = stack;
    const contact = kommo.addContact({ name: 'Solo Buyer', email: 'solo@soloshop.com' });
    const lead = kommo.addLead({ name: 'Solo deal', price: 900, statusId: kommo.defaults.wonStatusId, contactIds: [contact.id] });
    await stack.sendWon(lead.id);
    const issue = await issueFor(stack, lead.id);
    await waitFor('the customer request', () => stack.linear.store.customerNeeds(issue?.id)[0]);
    expect(stack.linear.store.customers().find((c) => c.externalIds.includes('kommo-domain:soloshop.com'))).toMatchObject({ name: 'soloshop.com', domains: ['soloshop.com'] });
  });

  async function settingsView() {
    const response = await fetch(`${stack.server.url}/api/widget/settings`, { headers: { 'x-auth-token': stack.widgetToken({ is_admin: true, user_id: 7 }) } });
    expect(response.status).toBe(200);
    return SettingsViewSchema.parse(await response.json());
  }

  it('shows the option, its saved values, and whether the workspace has the feature', async () => {
    const on = await settingsView();
    expect(on.settings.customers).toEqual({ enabled: true, tierRule: { tags: [{ tag: 'vip', tier: 'Enterprise' }] } });
    expect(on.linear.customers).toEqual({ available: true, reason: null });
    stack.linear.store.organization.customersEnabled = false;
    const off = await settingsView();
    expect(off.linear.customers?.available).toBe(false);
    expect(off.linear.customers?.reason).toMatch(/does not include Customers/);
  });
});
