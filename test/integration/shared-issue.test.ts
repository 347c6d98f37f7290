/**
 * Several deals, one issue: a deal links an issue that another deal's Won already created. Each
 * card shows it, each deal has its own back-link in Linear, and a change in Linear reaches every
 * linked deal as one note, however often it is delivered. Unlinking one deal leaves the other.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { LeadLinksResponseSchema, LinkResponseSchema } from '../../shared/api';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(() => stack?.close());

async function api(path: string, method = 'GET', body?: unknown) {
  const response = await fetch(`${stack.server.url}/api/widget${path}`, {
    method,
    headers: { 'x-auth-token': stack.widgetToken(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
const shown = async (leadId: number) => LeadLinksResponseSchema.parse((await api(`/leads/${leadId}`)).body).links.map((l) => l.issue?.identifier);
const dealUrl = (leadId: number) => `${stack.kommo.baseUrl}/leads/detail/${leadId}`;
const backLinks = (issueId: string) =>
  stack.linear.store
    .attachments()
    .filter((a) => a.issueId === issueId)
    .map((a) => a.url)
    .sort();
const notes = (leadId: number, text: string) => stack.kommo.notes(leadId).filter((n) => String(n.params.text).includes(text));

it('shows one issue on two deals, tells both of a change once, and unlinks one without the other', async () => {
  const won = stack.kommo.addLead({ name: 'Won first', price: 10, statusId: stack.kommo.defaults.wonStatusId });
  await stack.sendWon(won.id);
  const link = await waitFor('the issue of the won deal', async () => stack.db.db('deal_links').where({ lead_id: won.id, status: 'linked' }).first(), 40_000);
  const issueId = String(link.linear_issue_id);
  const issue = stack.linear.store.issue(issueId);
  if (!issue) throw new Error('the issue is not in the fake Linear');

  const other = stack.kommo.addLead({ name: 'Same project', price: 20, statusId: stack.kommo.defaults.openStatusIds[0] ?? 1 });
  const linked = await api(`/leads/${other.id}/links`, 'POST', { issue: issue.identifier });
  expect(linked.status).toBe(201);
  const otherLink = LinkResponseSchema.parse(linked.body).link;
  expect(await shown(won.id)).toEqual([issue.identifier]);
  expect(await shown(other.id)).toEqual([issue.identifier]);
  expect(backLinks(issueId)).toEqual([dealUrl(won.id), dealUrl(other.id)].sort());

  const human = stack.linear.store.addUser({ name: 'Dana Dev', email: 'dana.shared@example.com' });
  const done = stack.linear.store.teamStates(issue.teamId).find((s) => s.type === 'completed');
  if (!done) throw new Error('no completed state');
  stack.linear.store.updateIssue(issueId, { stateId: done.id }, human.id);
  await waitFor('the completion note on both deals', () => notes(won.id, 'closed in Linear').length > 0 && notes(other.id, 'closed in Linear').length > 0);
  // The same change again under a new delivery id: nothing more.
  const built = JSON.parse(stack.linear.buildIssueWebhook(issueId, 'update', {}).rawBody) as Record<string, unknown>;
  const rawBody = JSON.stringify({ ...built, actor: { id: human.id, type: 'user', name: human.name } });
  const signature = createHmac('sha256', stack.linearWebhookSecret).update(rawBody).digest('hex');
  const replay = await fetch(`${stack.server.url}/webhooks/linear`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'linear-delivery': randomUUID(), 'linear-signature': signature },
    body: rawBody,
  });
  expect(replay.status).toBe(200);
  await stack.idle();
  expect(notes(won.id, 'closed in Linear')).toHaveLength(1);
  expect(notes(other.id, 'closed in Linear')).toHaveLength(1);

  expect((await api(`/leads/${other.id}/links/${otherLink.linkId}`, 'DELETE')).status).toBe(204);
  expect(await shown(other.id)).toEqual([]);
  expect(await shown(won.id)).toEqual([issue.identifier]);
  expect(backLinks(issueId)).toEqual([dealUrl(won.id)]);
});
