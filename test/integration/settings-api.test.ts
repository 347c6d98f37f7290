/**
 * The settings page API: admins only, validation that names the field, atomic saves with a
 * history, the Linear key checked at once, and a preview that creates nothing. A Won deal then
 * follows the saved settings.
 */
import { SettingsViewSchema, PreviewSchema, type SettingsInput } from '../../shared/settings-api';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('settings API', () => {
  let stack: Stack;

  // A server start plus its first background calls took over 30 s on a loaded two-core machine.
  beforeAll(async () => {
    stack = await startStack();
    await waitFor('the account to be learned', async () => (await stack.db.db('installations').first())?.kommo_account_id);
  }, 90_000);
  afterAll(async () => {
    await stack.close();
  });

  const call = (method: string, path: string, body?: unknown, token = stack.widgetToken({ is_admin: true, user_id: 7 })) =>
    fetch(`${stack.server.url}/api/widget/settings${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string; field?: string } }).error;

  async function currentSettings(): Promise<SettingsInput> {
    const response = await call('GET', '');
    expect(response.status).toBe(200);
    return SettingsViewSchema.parse(await response.json()).settings;
  }

  it('refuses non-admins with 403 and other accounts with 401', async () => {
    const nonAdmin = await call('GET', '', undefined, stack.widgetToken({ is_admin: false }));
    expect(nonAdmin.status).toBe(403);
    expect((await errorOf(nonAdmin)).message).toMatch(/Only Kommo account admins/);
    const other = await call('GET', '', undefined, stack.widgetToken({ is_admin: true, account_id: 4242 }));
    expect(other.status).toBe(401);
  });

  it('shows what Linear and Kommo offer and how users match', async () => {
    stack.linear.store.addUser({ name: 'Alice Linear', email: 'ALICE@example.com' });
    const response = await call('GET', '');
    const view = SettingsViewSchema.parse(await response.json());
    expect(view.linear).toMatchObject({ connected: true, workspace: expect.any(String), problem: null });
    expect(view.linear.teams.map((t) => t.key)).toContain('ENG');
    expect(view.linear.states.some((s) => s.type === 'backlog')).toBe(true);
    expect(view.kommo.pipelines.length).toBeGreaterThan(0);
    expect(view.kommo.leadFields.map((f) => f.name)).toEqual(expect.arrayContaining(['Spec', 'Deadline']));
    const alice = view.kommo.users.find((u) => u.email === 'alice@example.com');
    expect(alice).toMatchObject({ matchedBy: 'email', linearUserId: expect.any(String) });
    expect(JSON.stringify(view)).not.toContain(stack.secret);
    expect(JSON.stringify(view)).not.toContain(stack.linearWebhookSecret);
  });

  it('names the wrong field when settings are invalid, and keeps the old ones', async () => {
    const base = await currentSettings();
    const cases: Array<[SettingsInput, string]> = [
      [{ ...base, defaultPriority: 9 }, 'defaultPriority'],
      [{ ...base, team: 'NOPE' }, 'team'],
      [{ ...base, rules: [{ state: 'Nonexistent', labels: [] }] }, 'rules.0.state'],
      [{ ...base, rules: [{ pipelineId: 999999, labels: [] }] }, 'rules.0.pipelineId'],
      [{ ...base, rules: [{ pipelineId: stack.kommo.defaults.pipelineId, statusId: 999999, labels: [] }] }, 'rules.0.statusId'],
      [{ ...base, rules: [{ id: 'x', labels: [] }, { id: 'x', pipelineId: stack.kommo.defaults.pipelineId, labels: [] }] }, 'rules.1.id'],
    ];
    for (const [settings, field] of cases) {
      const response = await call('PUT', '', settings);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).field).toBe(field);
    }
    expect(await currentSettings()).toEqual(base);
  });

  it('saves atomically, records the change, and a Won deal then uses the saved settings', async () => {
    const base = await currentSettings();
    const saved = await call('PUT', '', { ...base, priorityTags: [{ tag: 'VIP', priority: 1 }], rules: [{ state: 'Todo', labels: [] }] });
    expect(saved.status).toBe(200);
    const view = SettingsViewSchema.parse(await saved.json());
    expect(view.changes[0]).toMatchObject({ userId: 7, summary: expect.stringContaining('priorityTags') });

    const lead = stack.kommo.addLead({ name: 'VIP deal', price: 1, statusId: stack.kommo.defaults.wonStatusId, tags: ['vip'] });
    await stack.sendWon(lead.id);
    const issue = await waitFor('the issue', () => stack.linear.store.issues().find((i) => i.title === 'VIP deal'));
    expect(issue.priority).toBe(1);
    expect(stack.linear.store.teamStates(issue.teamId).find((s) => s.id === issue.stateId)?.name).toBe('Todo');
  });

  it('previews the issue of a deal without creating anything', async () => {
    const lead = stack.kommo.addLead({ name: 'Preview me', price: 2500, statusId: stack.kommo.defaults.openStatusIds[0] ?? 1 });
    const issuesBefore = stack.linear.store.issues().length;
    const base = await currentSettings();
    const response = await call('POST', '/preview', { leadId: lead.id, settings: { ...base, defaultPriority: 4, priorityTags: [] } });
    expect(response.status).toBe(200);
    const preview = PreviewSchema.parse(await response.json());
    expect(preview).toMatchObject({ title: 'Preview me', team: 'Engineering', priority: 4 });
    expect(preview.description).toContain('**Amount:** $2,500.00');
    expect(preview.warnings.map((w) => w.code)).toContain('no_spec');
    expect(stack.linear.store.issues()).toHaveLength(issuesBefore);

    // Which rules of the deal's pipeline fire: the one on its stage, not the Won one.
    const pipelineId = stack.kommo.defaults.pipelineId;
    const rules = [
      { id: 'early', name: 'Early', pipelineId, statusId: stack.kommo.defaults.openStatusIds[0] ?? 1, team: 'ENG', labels: [] },
      { id: 'won', name: 'On Won', pipelineId, labels: [] },
    ];
    const staged = PreviewSchema.parse(await (await call('POST', '/preview', { leadId: lead.id, settings: { ...base, rules } })).json());
    expect(staged.rules).toEqual([
      { rule: 'Early', stage: 'Incoming leads', fires: true },
      { rule: 'On Won', stage: 'Closed - won', fires: false },
    ]);
    const missing = await call('POST', '/preview', { leadId: 987654 });
    expect(missing.status).toBe(404);
  });

  it('checks a pasted Linear key at once and never echoes it', async () => {
    const wrong = await call('POST', '/linear-key', { apiKey: 'lin_api_wrong_key_123' });
    expect(wrong.status).toBe(400);
    expect(await errorOf(wrong)).toMatchObject({ field: 'apiKey', message: expect.stringMatching(/refused this API key/) });
    const right = await call('POST', '/linear-key', { apiKey: 'lin_api_test_key' });
    expect(right.status).toBe(200);
    const body = await right.text();
    expect(body).not.toContain('lin_api_test_key');
    expect(JSON.parse(body)).toMatchObject({ workspace: expect.any(String), user: 'Kommo Bot' });
    const row = await stack.db.db('installations').first();
    expect(String(row.linear_api_key_enc)).not.toContain('lin_api_test_key');
  });

  it('saves the signing secret of a Linear webhook set up by hand; deliveries signed with it are accepted at once', async () => {
    const secret = `lin_wh_${'s'.repeat(24)}`;
    const lead = stack.kommo.addLead({ name: 'Hand-made webhook', price: 1, statusId: stack.kommo.defaults.wonStatusId });
    await stack.sendWon(lead.id);
    const link = await waitFor('the link', async () => stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first());
    const deliver = (signingSecret: string) => {
      const signed = stack.linear.buildIssueWebhook(String(link.linear_issue_id), 'update', {}, { secret: signingSecret });
      return fetch(`${stack.server.url}/webhooks/linear`, { method: 'POST', headers: signed.headers, body: signed.rawBody });
    };
    expect((await deliver(stack.linearWebhookSecret)).status).toBe(200);

    expect((await call('PUT', '/linear-webhook-secret', { secret }, stack.widgetToken({ is_admin: false }))).status).toBe(403);
    const short = await call('PUT', '/linear-webhook-secret', { secret: 'short' });
    expect(short.status).toBe(400);
    expect(await errorOf(short)).toMatchObject({ field: 'secret', message: expect.stringMatching(/signing secret/) });
    expect((await deliver(secret)).status).toBe(401);

    const saved = await call('PUT', '/linear-webhook-secret', { secret: `  ${secret}  ` });
    expect(saved.status).toBe(200);
    const text = await saved.text();
    expect(text).not.toContain(secret);
    expect(SettingsViewSchema.parse(JSON.parse(text)).webhooks.linear).toBe('configured');
    expect((await deliver(secret)).status).toBe(200);
    expect((await deliver(stack.linearWebhookSecret)).status).toBe(401);
    const row = await stack.db.db('installations').first();
    expect(String(row.linear_webhook_secret_enc)).not.toContain(secret);
    expect(row.linear_webhook_id).toBeNull();
  });
});
