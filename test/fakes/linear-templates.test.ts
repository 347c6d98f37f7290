/** The fake Linear's issue templates: listed like Linear lists them, applied on issueCreate under the input's own values. */
import { InvalidInputLinearError, LinearClient } from '@linear/sdk';
import { LINEAR_OPERATIONS } from '../../server/linear/operations';
import { DEFAULT_API_KEY, startFakeLinear, type FakeLinear } from './linear';

const CREATE = `mutation CreateIssue($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { id title description priority labels { nodes { name } } state { name } } }
}`;

interface Created {
  issueCreate: { issue: { title: string; description: string | null; priority: number; labels: { nodes: { name: string }[] }; state: { name: string } } };
}

describe('fake Linear templates', () => {
  let fake: FakeLinear;
  let linear: LinearClient;

  beforeAll(async () => {
    fake = await startFakeLinear();
    linear = new LinearClient({ apiKey: DEFAULT_API_KEY, apiUrl: fake.url });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  const create = (input: Record<string, unknown>) => linear.client.rawRequest<Created, Record<string, unknown>>(CREATE, { input: { teamId: 'ENG', ...input } });

  it("lists team and workspace templates with their data as Linear's stringified JSON, and per team", async () => {
    const team = fake.store.addTemplate({ name: 'Bug', team: 'ENG', templateData: { priority: 1 } });
    fake.store.addTemplate({ name: 'Shared', templateData: {} });
    const { data } = await linear.client.rawRequest<{ templates: Array<{ id: string; name: string; team: { id: string } | null; templateData: unknown }> }, Record<string, unknown>>(
      LINEAR_OPERATIONS.templates,
    );
    expect(data?.templates.map((t) => [t.name, t.team === null])).toEqual([['Bug', false], ['Shared', true]]);
    expect(data?.templates[0]?.templateData).toBe('{"priority":1}');
    const byTeam = await linear.client.rawRequest<{ team: { templates: { nodes: Array<{ id: string }> } } }, Record<string, unknown>>(
      'query { team(id: "ENG") { templates { nodes { id } } } }',
    );
    expect(byTeam.data?.team.templates.nodes).toEqual([{ id: team.id }]);
  });

  it("creates from the template's fields; every value of the input overrides the template's", async () => {
    const label = fake.store.addLabel({ name: 'bug' });
    const template = fake.store.addTemplate({
      name: 'Bug',
      team: 'ENG',
      templateData: { title: 'Bug: ', description: 'Steps to reproduce', priority: 1, labelIds: [label.id] },
    });
    const fromTemplate = await create({ templateId: template.id });
    expect(fromTemplate.data?.issueCreate.issue).toMatchObject({ title: 'Bug: ', description: 'Steps to reproduce', priority: 1, labels: { nodes: [{ name: 'bug' }] } });
    const overridden = await create({ templateId: template.id, title: 'Ours', priority: 3 });
    expect(overridden.data?.issueCreate.issue).toMatchObject({ title: 'Ours', description: 'Steps to reproduce', priority: 3 });
  });

  it("refuses an unknown template and another team's template, creating nothing", async () => {
    fake.store.addTeam({ key: 'OPS', name: 'Operations' });
    const other = fake.store.addTemplate({ name: 'Ops', team: 'OPS', templateData: {} });
    await expect(create({ title: 'x', templateId: '7d0c7f5e-0000-4000-8000-000000000000' })).rejects.toThrow(/Template/);
    await expect(create({ title: 'x', templateId: other.id })).rejects.toBeInstanceOf(InvalidInputLinearError);
    expect(fake.store.issues()).toHaveLength(0);
  });
});
