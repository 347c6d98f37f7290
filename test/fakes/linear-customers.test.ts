/**
 * The fake's Linear Customers, through the SDK as our server talks to it: upsert matching on the
 * external id and the domains, requests backed by the issue's attachment of their URL, an id
 * that cannot be reused, and a workspace without the feature refusing both.
 */
import { InvalidInputLinearError, LinearClient } from '@linear/sdk';
import { DEFAULT_API_KEY, startFakeLinear, type FakeLinear } from './linear';

const UPSERT = `mutation Upsert($input: CustomerUpsertInput!) { customerUpsert(input: $input) { success customer { id name revenue domains externalIds } } }`;
const NEED = `mutation Need($input: CustomerNeedCreateInput!) { customerNeedCreate(input: $input) { success need { id url priority body customer { name } } } }`;
const NEEDS = `query Needs($id: String!) { issue(id: $id) { needs { nodes { id url customer { externalIds } } } } customers: organization { customersEnabled } }`;

describe('fake Linear: customers and customer requests', () => {
  let fake: FakeLinear;
  let linear: LinearClient;

  beforeAll(async () => {
    fake = await startFakeLinear();
    linear = new LinearClient({ apiKey: DEFAULT_API_KEY, apiUrl: fake.url });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  const send = <T,>(query: string, input: Record<string, unknown>) => linear.client.rawRequest<T, Record<string, unknown>>(query, { input });

  it('upserts by external id, then by domain, into one customer', async () => {
    await send(UPSERT, { externalId: 'kommo-company:1', name: 'Acme', revenue: 100, domains: ['acme.io'] });
    await send(UPSERT, { externalId: 'kommo-company:1', revenue: 250 });
    await send(UPSERT, { externalId: 'crm:9', domains: ['ACME.io'] });
    expect(fake.store.customers()).toHaveLength(1);
    expect(fake.store.customers()[0]).toMatchObject({ name: 'Acme', revenue: 250, domains: ['acme.io'], externalIds: ['kommo-company:1', 'crm:9'] });
  });

  it('attaches a request to an issue through its URL, once per id', async () => {
    const team = fake.store.findTeam('ENG');
    const issue = fake.store.createIssue({ teamId: team?.id ?? '', title: 'Onboard Acme' });
    fake.store.organization.customersEnabled = true;
    await send(UPSERT, { externalId: 'kommo-company:2', name: 'Globex' });
    const input = { id: '0b6c3c3e-4a5b-4c6d-8e7f-101112131415', issueId: issue.id, customerExternalId: 'kommo-company:2', attachmentUrl: 'https://acme.kommo.com/leads/detail/7', body: 'SSO', priority: 1 };
    await send(NEED, input);
    await expect(send(NEED, input)).rejects.toThrow(/already exists/);
    const { data } = await linear.client.rawRequest<{ issue: { needs: { nodes: Array<{ url: string; customer: { externalIds: string[] } }> } } }, Record<string, unknown>>(NEEDS, { id: issue.id });
    expect(data?.issue.needs.nodes).toEqual([expect.objectContaining({ url: input.attachmentUrl, customer: { externalIds: ['kommo-company:2'] } })]);
    expect(fake.store.attachments().filter((a) => a.issueId === issue.id)).toHaveLength(1);
  });

  it('refuses customers in a workspace without the feature', async () => {
    fake.store.organization.customersEnabled = false;
    await expect(send(UPSERT, { externalId: 'kommo-company:3', name: 'Initech' })).rejects.toBeInstanceOf(InvalidInputLinearError);
    expect(fake.store.customers()).toEqual([]);
  });
});
