import { createKommoClient, type KommoClient } from '../../../../server/kommo/client';
import { json, startHttpStub, type HttpStub } from '../../support/http-stub';

let stub: HttpStub;
let client: KommoClient;
beforeAll(async () => {
  stub = await startHttpStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
  client = createKommoClient({ baseUrl: stub.baseUrl, accessToken: async () => 't', throttle: async () => () => undefined, timeoutMs: 2000 });
});

describe('Kommo tasks and stage moves', () => {
  it('addLeadTask posts one task on the lead, without a responsible user when there is none', async () => {
    stub.handle((_req, res) => json(res, 200, { _embedded: { tasks: [{ id: 1, request_id: '0' }] } }));
    await client.addLeadTask({ leadId: 5, responsibleUserId: 9, text: 'Call', completeTill: 1_900_000_000, taskTypeId: 2 });
    await client.addLeadTask({ leadId: 5, responsibleUserId: undefined, text: 'Call', completeTill: 1_900_000_000, taskTypeId: 1 });
    expect(stub.requests.map((r) => [r.method, r.url.pathname, JSON.parse(r.body) as unknown])).toEqual([
      ['POST', '/api/v4/tasks', [{ entity_id: 5, entity_type: 'leads', responsible_user_id: 9, text: 'Call', complete_till: 1_900_000_000, task_type_id: 2 }]],
      ['POST', '/api/v4/tasks', [{ entity_id: 5, entity_type: 'leads', text: 'Call', complete_till: 1_900_000_000, task_type_id: 1 }]],
    ]);
  });

  it('listLeadTasks filters by lead and time, and an empty answer (204) is no tasks', async () => {
    stub.handle((_req, res) => json(res, 200, { _embedded: { tasks: [{ id: '7', text: 'Call' }, { id: 8, text: null }] } }));
    expect(await client.listLeadTasks(5, 100)).toEqual([{ id: 7, text: 'Call' }, { id: 8, text: '' }]);
    const query = stub.requests[0]?.url.searchParams;
    expect([query?.get('filter[entity_type]'), query?.get('filter[entity_id]'), query?.get('filter[updated_at][from]')]).toEqual(['leads', '5', '100']);
    stub.handle((_req, res) => res.writeHead(204).end());
    expect(await client.listLeadTasks(5, 100)).toEqual([]);
  });

  it('moveLead patches the pipeline and stage', async () => {
    stub.handle((_req, res) => json(res, 200, { id: 5 }));
    await client.moveLead(5, 7, 70);
    expect(stub.requests.map((r) => [r.method, r.url.pathname, JSON.parse(r.body) as unknown])).toEqual([['PATCH', '/api/v4/leads/5', { pipeline_id: 7, status_id: 70 }]]);
  });
});
