/**
 * Fair scheduling across installations: account A queues a backlog of hundreds of won deals (in
 * capped deliveries of 100), then account B has one deal won. B's issue must not wait for A's
 * backlog: it is linked before half of A's deals are. Asserted on the order of completions, not
 * on durations. Each account keeps its own Kommo rate-limit bucket.
 */
import { randomBytes } from 'node:crypto';
import { MAX_LEADS_PER_DELIVERY } from '../../server/kommo/webhook';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { DEFAULT_API_KEY } from '../fakes/linear';
import { kommoStatusWebhook } from '../fixtures/kommo-webhook';
import { seedOAuthInstallation } from '../helpers/seed-installation';
import { postKommoDelivery } from '../helpers/single-account-env';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

const BACKLOG = 3 * MAX_LEADS_PER_DELIVERY;

describe('fair scheduling across installations', () => {
  let stack: Stack | undefined;
  let kommoB: FakeKommo | undefined;
  afterAll(async () => {
    await stack?.close();
    await kommoB?.close();
  });

  it(`runs account B's one won deal before half of account A's ${BACKLOG}-deal backlog`, async () => {
    // A higher per-account rate than Kommo's 7/s only makes the run shorter; the limiter stays on.
    stack = await startStack({ env: { KOMMO_RATE_LIMIT_PER_SECOND: '50' } });
    kommoB = await startFakeKommo({ accountId: 32_000_001, subdomain: 'fairb', accessToken: `kommo_token_b_${randomBytes(6).toString('hex')}` });
    const secretB = await seedOAuthInstallation(stack.db.db, stack.config.encryptionKey ?? '', kommoB, DEFAULT_API_KEY);
    // A fresh process sees the new installation at once (no cache to expire).
    await stack.restart();
    const installationA = stack.server.installation?.id;
    const installationB = (await stack.db.db('installations').where({ kommo_account_id: kommoB.account.accountId }).first())?.id as string | undefined;
    if (!installationA || !installationB) throw new Error('both installations must exist');

    const kommoA = stack.kommo;
    const deliveryFor = (kommo: FakeKommo, leads: Array<{ id: number; pipelineId: number }>) =>
      kommoStatusWebhook({
        accountId: kommo.account.accountId,
        subdomain: kommo.account.subdomain,
        leads: leads.map((l) => ({ id: l.id, statusId: kommo.defaults.wonStatusId, pipelineId: l.pipelineId, oldStatusId: kommo.defaults.openStatusIds[0] ?? 1 })),
      });
    const backlog = Array.from({ length: BACKLOG }, (_, n) => kommoA.addLead({ name: `Backlog ${n}`, price: n, statusId: kommoA.defaults.wonStatusId }));
    for (let i = 0; i < BACKLOG; i += MAX_LEADS_PER_DELIVERY) {
      const answer = await stack.postKommo(deliveryFor(kommoA, backlog.slice(i, i + MAX_LEADS_PER_DELIVERY)));
      expect(await answer.json()).toEqual({ ok: true, queued: MAX_LEADS_PER_DELIVERY });
    }
    const dealB = kommoB.addLead({ name: 'The other account', price: 1, statusId: kommoB.defaults.wonStatusId });
    const answerB = await postKommoDelivery(stack.server.url, secretB, deliveryFor(kommoB, [dealB]));
    expect(await answerB.json()).toEqual({ ok: true, queued: 1 });

    const db = stack.db.db;
    const linkedOf = async (installationId: string) => Number((await db('deal_links').where({ installation_id: installationId, status: 'linked' }).count('* as n').first())?.n ?? 0);
    // Stop at whichever comes first: B's deal linked, or half of A's backlog drained without it.
    await waitFor('B linked or half of A drained', async () => (await linkedOf(installationB)) === 1 || (await linkedOf(installationA)) >= BACKLOG / 2, 200_000);
    const linkB = await db('deal_links').where({ installation_id: installationB, lead_id: dealB.id }).first();
    const aBeforeB = linkB?.completed_at
      ? Number((await db('deal_links').where({ installation_id: installationA, status: 'linked' }).andWhere('completed_at', '<=', linkB.completed_at).count('* as n').first())?.n ?? 0)
      : await linkedOf(installationA);
    const statesA = await db('deal_links').where({ installation_id: installationA }).select('status', 'error_code').count('* as n').groupBy('status', 'error_code');
    const jobs = (await db.raw(`select state, count(*)::int as n from pgboss.job where name = 'kommo-deal-won' group by state`)).rows;
    console.log(JSON.stringify({ backlog: BACKLOG, aLinkedBeforeB: aBeforeB, bLinked: linkB?.status === 'linked', linksOfA: statesA, wonJobs: jobs }));
    expect(linkB?.status).toBe('linked');
    expect(aBeforeB).toBeLessThan(BACKLOG / 2);
  }, 240_000);
});
