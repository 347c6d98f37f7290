/**
 * Issue templates per rule: the settings page lists the team's Linear templates, a rule picks
 * one, and the issue Linear creates starts from it with our title, description block and fields
 * on top; the preview names the template and what it still sets. Runs on PostgreSQL when
 * TEST_DATABASE_URL is set, else on PGlite.
 */
import { PreviewSchema, SettingsViewSchema, type SettingsInput } from '../../shared/settings-api';
import { issueFor, seedDeal } from '../helpers/deals';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('Issue templates per rule', () => {
  let stack: Stack;
  const ids = { template: '', other: '', workspace: '', label: '', project: '', todo: '' };

  beforeAll(async () => {
    stack = await startStack({
      settings: ({ kommo, linear }) => {
        const eng = linear.store.findTeam('ENG');
        const ops = linear.store.addTeam({ key: 'OPS', name: 'Operations' });
        ids.label = linear.store.addLabel({ name: 'onboarding' }).id;
        ids.project = linear.store.addProject({ name: 'Customer onboarding' }).id;
        ids.todo = linear.store.teamStates(eng?.id ?? '').find((s) => s.name === 'Todo')?.id ?? '';
        ids.template = linear.store.addTemplate({
          name: 'Onboarding checklist',
          team: 'ENG',
          templateData: {
            title: 'Template title',
            description: '## Checklist\n- [ ] Kick-off call',
            priority: 4,
            labelIds: [ids.label],
            projectId: ids.project,
            stateId: ids.todo,
          },
        }).id;
        ids.other = linear.store.addTemplate({ name: 'Ops only', team: ops.key, templateData: {} }).id;
        ids.workspace = linear.store.addTemplate({ name: 'Shared bug', templateData: { priority: 1 } }).id;
        linear.store.addTemplate({ name: 'Project plan', type: 'project', templateData: {} });
        return {
          team: 'ENG',
          rules: [{ id: 'onboarding', name: 'Onboarding', pipelineId: kommo.defaults.pipelineId, team: 'ENG', labels: [], templateId: ids.template }],
          priorityTags: [{ tag: 'VIP', priority: 1 }],
        };
      },
    });
  }, 90_000);
  afterAll(async () => {
    await stack.close();
  });

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.server.url}/api/widget/settings${path}`, {
      method,
      headers: { 'x-auth-token': stack.widgetToken({ is_admin: true, user_id: 7 }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function view() {
    const response = await call('GET', '');
    expect(response.status).toBe(200);
    return SettingsViewSchema.parse(await response.json());
  }

  it("creates the issue from the rule's template: its fields first, then our title, description and fields on top", async () => {
    const lead = seedDeal(stack, { spec: 'Set up the **account**' });
    expect((await stack.sendWon(lead.id)).status).toBe(200);
    const issue = await issueFor(stack, lead.id);
    expect(issue).toMatchObject({
      title: 'ACME onboarding',
      labelIds: [ids.label],
      projectId: ids.project,
      stateId: ids.todo,
      // No tag rule matched: the template's priority stands in for our default (High).
      priority: 4,
    });
    const description = issue?.description ?? '';
    expect(description).toContain('Set up the **account**');
    expect(description).toContain('### Deal details');
    expect(description.indexOf('### Deal details')).toBeLessThan(description.indexOf('## Checklist\n- [ ] Kick-off call'));
    const create = stack.linear.requests.find((r) => r.operationName === 'IssueCreate');
    expect(create?.variables).toMatchObject({ input: { templateId: ids.template } });
  });

  it("keeps what the deal says over the template's: a tag's priority wins", async () => {
    const lead = seedDeal(stack, { tags: ['VIP'] });
    await stack.sendWon(lead.id);
    const issue = await issueFor(stack, lead.id);
    expect(issue).toMatchObject({ priority: 1, labelIds: [ids.label] });
  });

  it("lists every team's issue templates (no project templates) and keeps a rule's template when saved", async () => {
    const shown = await view();
    expect(shown.linear.templates).toEqual(
      expect.arrayContaining([
        { id: ids.template, name: 'Onboarding checklist', teamId: expect.any(String) },
        { id: ids.other, name: 'Ops only', teamId: expect.any(String) },
        { id: ids.workspace, name: 'Shared bug', teamId: null },
      ]),
    );
    expect(shown.linear.templates?.map((t) => t.name)).not.toContain('Project plan');
    expect(shown.settings.rules[0]?.templateId).toBe(ids.template);
    const saved = await call('PUT', '', shown.settings);
    expect(saved.status).toBe(200);
    expect(SettingsViewSchema.parse(await saved.json()).settings.rules[0]?.templateId).toBe(ids.template);
  });

  it("refuses a template of another team, naming the rule's field", async () => {
    const settings: SettingsInput = (await view()).settings;
    const rules = settings.rules.map((r) => ({ ...r, templateId: ids.other }));
    const response = await call('PUT', '', { ...settings, rules });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { field?: string } };
    expect(body.error.field).toBe('rules.0.templateId');
  });

  it('previews the template: its name and what it still sets under our fields', async () => {
    const lead = seedDeal(stack);
    const response = await call('POST', '/preview', { leadId: lead.id });
    expect(response.status).toBe(200);
    const preview = PreviewSchema.parse(await response.json());
    expect(preview.template).toEqual({
      name: 'Onboarding checklist',
      fields: [
        { field: 'Labels', value: 'onboarding' },
        { field: 'Project', value: 'Customer onboarding' },
      ],
    });
    expect(preview).toMatchObject({ state: 'Todo', priority: 4, title: 'ACME onboarding' });
    expect(preview.description).toContain('## Checklist');
  });

  // Last: it deletes the template.
  it('creates the issue without a template deleted in Linear since it was listed, with a warning on the link', async () => {
    const seen = seedDeal(stack);
    await stack.sendWon(seen.id);
    await issueFor(stack, seen.id);
    stack.linear.store.templatesById.delete(ids.template);
    const lead = seedDeal(stack);
    await stack.sendWon(lead.id);
    const issue = await issueFor(stack, lead.id);
    expect(issue).toMatchObject({ title: 'ACME onboarding', labelIds: [], projectId: null });
    const link = await waitFor('the link to be linked', async () => {
      const row = (await stack.db.db('deal_links').where({ lead_id: lead.id }).first()) as { status: string; warnings: unknown } | undefined;
      return row?.status === 'linked' ? row : undefined;
    });
    const warnings = typeof link.warnings === 'string' ? (JSON.parse(link.warnings) as unknown) : link.warnings;
    expect(warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'template_not_found' })]));
  });
});
