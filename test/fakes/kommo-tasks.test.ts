/** The fake Kommo's tasks API behaves like Kommo's: validated batches, recorded tasks, filters, rate limit. */
import { z } from 'zod';
import { startFakeKommo, type FakeKommo } from './kommo';

let fake: FakeKommo;

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${fake.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${fake.accessToken}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
  });
const post = (body: unknown) => api('/api/v4/tasks', { method: 'POST', body: JSON.stringify(body) });
const Errors = z.object({ 'validation-errors': z.array(z.object({ errors: z.array(z.object({ code: z.string(), path: z.string() })) })) });
const Created = z.object({ _embedded: z.object({ tasks: z.array(z.object({ id: z.number(), request_id: z.string() })) }) });
const List = z.object({ _embedded: z.object({ tasks: z.array(z.object({ id: z.number(), text: z.string(), entity_id: z.number(), complete_till: z.number() })) }) });

beforeAll(async () => {
  fake = await startFakeKommo();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

test('creates tasks on a lead and lists them by lead', async () => {
  const lead = fake.addLead({ name: 'Deal', price: 1 });
  const other = fake.addLead({ name: 'Other', price: 1 });
  const task = { entity_id: lead.id, entity_type: 'leads', text: 'Call the client', complete_till: 1_900_000_000, task_type_id: 1, responsible_user_id: fake.defaults.userId };
  const res = await post([task, { ...task, entity_id: other.id, request_id: 'b' }]);
  expect(res.status).toBe(200);
  expect(Created.parse(await res.json())._embedded.tasks.map((t) => t.request_id)).toEqual(['0', 'b']);
  expect(fake.tasks(lead.id)).toEqual([expect.objectContaining({ text: 'Call the client', completeTill: 1_900_000_000, taskTypeId: 1, isCompleted: false })]);

  const listed = await api(`/api/v4/tasks?filter[entity_type]=leads&filter[entity_id]=${lead.id}&filter[updated_at][from]=${fake.store.now() - 60}`);
  expect(List.parse(await listed.json())._embedded.tasks.map((t) => t.entity_id)).toEqual([lead.id]);
  const none = await api(`/api/v4/tasks?filter[entity_id]=${lead.id}&filter[updated_at][from]=${fake.store.now() + 60}`);
  expect(none.status).toBe(204);
});

test('rejects a task without text or due time, on an unknown lead, user or task type, and stores none of the batch', async () => {
  const lead = fake.addLead({ name: 'Deal', price: 1 });
  const good = { entity_id: lead.id, entity_type: 'leads', text: 'Call', complete_till: 1_900_000_000 };
  const missing = await post([{ entity_id: lead.id, entity_type: 'leads', text: 'Call' }]);
  expect(missing.status).toBe(400);
  const res = await post([good, { ...good, text: ' ' }, { ...good, entity_id: 999 }, { ...good, responsible_user_id: 1 }, { ...good, task_type_id: 99 }, { text: 'x', complete_till: 1, entity_id: lead.id }]);
  expect(res.status).toBe(400);
  const paths = Errors.parse(await res.json())['validation-errors'][0]?.errors.map((e) => e.path);
  expect(paths).toEqual(['1.text', '2.entity_id', '3.responsible_user_id', '4.task_type_id', '5.entity_type']);
  expect(fake.tasks(lead.id)).toEqual([]);
});

test('task requests count in the rate limit', async () => {
  const limited = await startFakeKommo({ rateLimitPerSecond: 2 });
  try {
    const lead = limited.addLead({ name: 'Deal', price: 1 });
    const body = JSON.stringify([{ entity_id: lead.id, entity_type: 'leads', text: 'Call', complete_till: 1_900_000_000 }]);
    const send = () =>
      fetch(`${limited.baseUrl}/api/v4/tasks`, { method: 'POST', body, headers: { authorization: `Bearer ${limited.accessToken}`, 'content-type': 'application/json' } });
    const statuses = [(await send()).status, (await send()).status, (await send()).status];
    expect(statuses).toEqual([200, 200, 429]);
    expect(limited.tasks(lead.id)).toHaveLength(2);
  } finally {
    await limited.close();
  }
});
