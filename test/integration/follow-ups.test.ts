/**
 * Completion (or cancellation) of a linked issue → a Kommo task for the deal's responsible user
 * and a stage move, as configured: exactly once per transition, through webhook replays and
 * reconciliation; a reopen and a second completion make a second task.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { LeadLinksResponseSchema } from '../../shared/api';
import { SettingsViewSchema } from '../../shared/settings-api';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('follow-ups of a completed issue', () => {
  let stack: Stack;
  let human: { id: string; name: string };
  let installationId: string;
  let manager: number;
  let doneStage: number;

  const settingsCall = (method: string, body?: unknown) =>
    fetch(`${stack.server.url}/api/widget/settings`, {
      method,
      headers: { 'x-auth-token': stack.widgetToken({ is_admin: true, user_id: 7 }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    stack = await startStack();
    const user = stack.linear.store.addUser({ name: 'Dana Dev', email: 'dana@example.com' });
    human = { id: user.id, name: user.name };
    installationId = stack.server.installation?.id ?? '';
    manager = stack.kommo.addUser({ name: 'Mario Manager', email: 'mario@example.com' }).id;
    doneStage = stack.kommo.defaults.openStatusIds[2] ?? 0;
    await waitFor('the Linear viewer to be known', async () => (await stack.db.db('installations').first())?.linear_viewer_id);
    const view = SettingsViewSchema.parse(await (await settingsCall('GET')).json());
    const followUp = {
      completed: { task: true, dueInWorkingHours: 4, taskTypeId: 2, moveTo: { pipelineId: stack.kommo.defaults.pipelineId, statusId: doneStage } },
      canceled: { task: true, dueInWorkingHours: 0, taskTypeId: 1 },
    };
    const noStage = await settingsCall('PUT', { ...view.settings, followUp: { ...followUp, completed: { ...followUp.completed, moveTo: { pipelineId: stack.kommo.defaults.pipelineId, statusId: 999 } } } });
    expect(noStage.status).toBe(400);
    expect(((await noStage.json()) as { error: { field?: string } }).error.field).toBe('followUp.completed.moveTo.statusId');
    const saved = await settingsCall('PUT', { ...view.settings, followUp });
    expect(saved.status).toBe(200);
    const after = SettingsViewSchema.parse(await (await settingsCall('GET')).json());
    expect(after.settings.followUp).toEqual(followUp);
  });
  afterAll(async () => {
    await stack.close();
  });

  async function linkedDeal(name: string) {
    const lead = stack.kommo.addLead({ name, price: 1, statusId: stack.kommo.defaults.wonStatusId, responsibleUserId: manager });
    await stack.sendWon(lead.id);
    const link = await waitFor('the link', async () => stack.db.db('deal_links').where({ lead_id: lead.id, status: 'linked' }).first());
    await waitFor('the created note', () => stack.kommo.notes(lead.id)[0]);
    return { leadId: lead.id, issueId: String(link.linear_issue_id) };
  }
  const stateOf = (issueId: string, type: string, name?: string) =>
    stack.linear.store.teamStates(stack.linear.store.issue(issueId)?.teamId ?? '').find((s) => s.type === type && (!name || s.name === name));
  function setState(issueId: string, type: string, name?: string) {
    const state = stateOf(issueId, type, name);
    if (!state) throw new Error(`no ${type} state`);
    stack.linear.store.updateIssue(issueId, { stateId: state.id }, human.id);
  }
  function replay(issueId: string) {
    const built = JSON.parse(stack.linear.buildIssueWebhook(issueId, 'update', {}).rawBody) as Record<string, unknown>;
    const rawBody = JSON.stringify({ ...built, actor: { id: human.id, type: 'user', name: human.name } });
    const signature = createHmac('sha256', stack.linearWebhookSecret).update(rawBody).digest('hex');
    const headers = { 'content-type': 'application/json; charset=utf-8', 'linear-delivery': randomUUID(), 'linear-signature': signature };
    return fetch(`${stack.server.url}/webhooks/linear`, { method: 'POST', headers, body: rawBody });
  }

  it('a completion makes one task for the responsible user and moves the deal; replays and reconciliation add none', async () => {
    const { leadId, issueId } = await linkedDeal('Onboarding');
    const issue = stack.linear.store.issue(issueId);
    const before = Math.floor(Date.now() / 1000);
    setState(issueId, 'completed');
    await waitFor('the task', () => stack.kommo.tasks(leadId)[0]);
    await waitFor('the stage move', () => stack.kommo.lead(leadId)?.statusId === doneStage);
    for (let i = 0; i < 3; i++) expect((await replay(issueId)).status).toBe(200);
    await stack.runJob('linear-reconcile', installationId);
    await stack.idle();
    const tasks = stack.kommo.tasks(leadId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      text: `Call the client: ${issue?.identifier} ${issue?.title} is done`,
      responsibleUserId: manager,
      taskTypeId: 2,
      isCompleted: false,
    });
    // Four working hours: at least four hours ahead, at most a weekend and two nights later.
    expect(tasks[0]?.completeTill).toBeGreaterThanOrEqual(before + 4 * 3600);
    expect(tasks[0]?.completeTill).toBeLessThanOrEqual(before + 4 * 24 * 3600);
    const posts = stack.kommo.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/tasks' && JSON.stringify(r.body).includes(`"entity_id":${leadId}`));
    expect(posts).toHaveLength(1);
    // The card shows the task, with its due time, from the database.
    const card = await fetch(`${stack.server.url}/api/widget/leads/${leadId}`, { headers: { 'x-auth-token': stack.widgetToken() } });
    const shown = LeadLinksResponseSchema.parse(await card.json()).links[0]?.lastTask;
    expect(shown).toMatchObject({ text: tasks[0]?.text });
    expect(Math.floor(new Date(shown?.due ?? 0).getTime() / 1000)).toBe(tasks[0]?.completeTill);
  });

  it('a reopen and a second completion make a second task', async () => {
    const { leadId, issueId } = await linkedDeal('Reopened');
    setState(issueId, 'completed');
    await waitFor('the first task', () => stack.kommo.tasks(leadId).length === 1);
    setState(issueId, 'started');
    await waitFor('the reopen to reach the link', async () => (await stack.db.db('deal_links').where({ lead_id: leadId }).first())?.noted?.stateType === 'started');
    setState(issueId, 'completed');
    await waitFor('the second task', () => stack.kommo.tasks(leadId).length === 2);
    expect((await replay(issueId)).status).toBe(200);
    await stack.idle();
    expect(stack.kommo.tasks(leadId)).toHaveLength(2);
  });

  it('a cancellation makes its own task (due now) and no stage move', async () => {
    const { leadId, issueId } = await linkedDeal('Canceled');
    const statusBefore = stack.kommo.lead(leadId)?.statusId;
    setState(issueId, 'canceled', 'Canceled');
    await waitFor('the task', () => stack.kommo.tasks(leadId)[0]);
    await stack.idle();
    expect(stack.kommo.tasks(leadId)).toEqual([expect.objectContaining({ text: expect.stringContaining('was canceled'), taskTypeId: 1 })]);
    expect(stack.kommo.lead(leadId)?.statusId).toBe(statusBefore);
  });

  it('a completion missed by webhooks gets its task from reconciliation, once', async () => {
    const { leadId, issueId } = await linkedDeal('Missed');
    stack.linear.pauseWebhooks();
    setState(issueId, 'completed');
    await stack.idle();
    expect(stack.kommo.tasks(leadId)).toHaveLength(0);
    await stack.runJob('linear-reconcile', installationId);
    await waitFor('the task', () => stack.kommo.tasks(leadId).length === 1);
    await stack.runJob('linear-reconcile', installationId);
    await stack.idle();
    stack.linear.resumeWebhooks();
    expect(stack.kommo.tasks(leadId)).toHaveLength(1);
  });

  it('a task whose creation answered 500 after Kommo stored it is not created twice', async () => {
    const { leadId, issueId } = await linkedDeal('Lost answer');
    const fault = stack.kommo.inject({ method: 'POST', path: /^\/api\/v4\/tasks$/, kind: 'after-commit-500', times: 1 });
    setState(issueId, 'completed');
    await waitFor('the fault to hit', () => fault.remaining === 0);
    await waitFor('the stage move after the retry', () => stack.kommo.lead(leadId)?.statusId === doneStage);
    await stack.idle();
    expect(stack.kommo.tasks(leadId)).toHaveLength(1);
    expect(stack.kommo.requests.some((r) => r.method === 'GET' && r.path === '/api/v4/tasks')).toBe(true);
  });
});
