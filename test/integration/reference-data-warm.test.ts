/**
 * The first won deal after a start is as cheap as any other: the server loads the reference data
 * (Kommo account, users, fields, pipelines; Linear teams, states, users) at start, so the deal
 * itself reads only its lead and contact and writes its field and note (Kommo), and creates its
 * issue and back-link (Linear). Counted on the fakes.
 */
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

describe('reference data kept warm', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const kommoApiCalls = () => stack.kommo.requests.filter((r) => r.path.startsWith('/api/v4/')).length;
  const logged = (msg: string) => stack.logs.filter((l) => l.includes(`"msg":"${msg}"`)).length;
  const warmUps = () => logged('reference data warm');

  /** Restarts the server and waits for what it does at start: the warm-up and learning the identity. */
  async function restart(): Promise<void> {
    const before = { warm: warmUps(), identity: logged('Linear connected') };
    await stack.restart();
    await waitFor('the warm-up and the identity after the restart', () => warmUps() > before.warm && logged('Linear connected') > before.identity);
  }

  /** Sends a new won deal with a contact; resolves with the calls it cost once it is done and nothing else runs. */
  async function firstDealCalls(name: string): Promise<{ kommo: number; linear: number }> {
    const contact = stack.kommo.addContact({ name: `${name} buyer`, email: 'buyer@example.com' });
    const lead = stack.kommo.addLead({ name, price: 500, statusId: stack.kommo.defaults.wonStatusId, contactIds: [contact.id], mainContactId: contact.id });
    const before = { kommo: kommoApiCalls(), linear: stack.linear.requests.length };
    expect((await stack.sendWon(lead.id)).status).toBe(200);
    await waitFor('the note', () => stack.kommo.notes(lead.id).length > 0);
    await stack.idle();
    return { kommo: kommoApiCalls() - before.kommo, linear: stack.linear.requests.length - before.linear };
  }

  it('the first won deal after the first start costs ≤ 5 Kommo and ≤ 2 Linear calls', async () => {
    await waitFor('the warm-up and the identity at start', () => warmUps() >= 1 && logged('Linear connected') >= 1);
    const calls = await firstDealCalls('First deal after a start');
    expect(calls.kommo).toBeLessThanOrEqual(5);
    expect(calls.linear).toBeLessThanOrEqual(2);
    // The field the issue goes into was made at warm-up, not by the deal.
    expect(stack.kommo.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/leads/custom_fields')).toHaveLength(1);
  });

  it('and after a restart (fresh process memory, the cache shared through the database)', async () => {
    await restart();
    const calls = await firstDealCalls('First deal after a restart');
    expect(calls.kommo).toBeLessThanOrEqual(5);
    expect(calls.linear).toBeLessThanOrEqual(2);
  });

  it('renews lists that are about to expire in the background, and reads none that are fresh', async () => {
    const lists = ['/api/v4/users', '/api/v4/leads/custom_fields', '/api/v4/leads/pipelines', '/api/v4/account'];
    const listReads = () => stack.kommo.requests.filter((r) => r.method === 'GET' && lists.includes(r.path)).length;
    const reads = listReads();
    // A fresh restart finds every list valid for more than half its life: nothing is reloaded.
    await restart();
    expect(listReads()).toBe(reads);
    // Lists within half their life of expiring (here: made so in the database) are reloaded.
    await stack.db.db('cache_entries').update({ expires_at: new Date(Date.now() + 60_000) });
    await restart();
    expect(listReads()).toBe(reads + lists.length);
  });
});
