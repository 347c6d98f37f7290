/**
 * A server process killed (SIGKILL) between the customer upsert and the customer request: the
 * next process resumes the customer step and the issue still gets exactly one request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { startFakeLinear, type FakeLinear } from '../fakes/linear';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { postKommoDelivery, singleAccountEnv, wonDelivery } from '../helpers/single-account-env';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { waitFor } from '../helpers/wait-for';
import { pendingJobsAt, waitUntilIdle } from '../helpers/wait-until-idle';

describe('crash between customerUpsert and customerNeedCreate', () => {
  let kommo: FakeKommo;
  let linear: FakeLinear;
  let db: TestDatabase | undefined;
  let dataDir: string;
  let child: ChildServer | undefined;

  beforeAll(async () => {
    [kommo, linear] = await Promise.all([startFakeKommo(), startFakeLinear()]);
    dataDir = mkdtempSync(join(tmpdir(), 'lfk-customer-crash-'));
    // On PostgreSQL the processes share a throwaway database; on PGlite, the data folder.
    if (process.env.TEST_DATABASE_URL) db = await createTestDatabase();
  });
  afterAll(async () => {
    await child?.kill();
    await Promise.all([kommo.close(), linear.close()]);
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after SIGKILL with one customer and one request on the issue', async () => {
    const secret = randomBytes(16).toString('hex');
    const env = singleAccountEnv({
      kommo,
      linear,
      database: { DATA_DIR: dataDir, ...(db?.url ? { DATABASE_URL: db.url } : {}) },
      webhookSecret: secret,
      extra: { HTTP_TIMEOUT_MS: '30000', JOB_TIMEOUT_SECONDS: '4', SETTINGS_JSON: JSON.stringify({ customers: { enabled: true } }) },
    });
    const contact = kommo.addContact({ name: 'Pat Buyer', email: 'pat@crashco.io' });
    const company = kommo.addCompany({ name: 'CrashCo', contactIds: [contact.id] });
    const lead = kommo.addLead({ name: 'CrashCo rollout', price: 4200, statusId: kommo.defaults.wonStatusId, companyId: company.id, contactIds: [contact.id] });
    // Linear makes the request and never answers: the process is stuck before it records it as done.
    linear.inject({ operation: 'customerNeedCreate', kind: 'timeout-after-commit', times: 1 });
    child = await startChildServer(env);
    expect((await postKommoDelivery(child.url, secret, wonDelivery(kommo, lead))).status).toBe(200);
    await waitFor('the customer in Linear', () => linear.store.customers().find((c) => c.externalIds.includes(`kommo-company:${company.id}`)), 20_000);
    const issue = await waitFor('the issue', () => linear.store.issues().find((i) => i.title.includes('CrashCo rollout')));
    await waitFor('the request made in Linear, its answer still pending', () => linear.store.customerNeeds(issue.id)[0], 20_000);
    await child.kill('SIGKILL');

    child = await startChildServer(env);
    // The resumed step looks for its request on the issue before making one.
    await waitFor('the resumed customer step', () => linear.requests.some((r) => r.operationName === 'IssueNeeds'), 40_000);
    await waitUntilIdle(pendingJobsAt(child.url), linear);
    expect(linear.store.customerNeeds(issue.id)).toHaveLength(1);
    expect(linear.store.customers().filter((c) => c.externalIds.includes(`kommo-company:${company.id}`))).toHaveLength(1);
    expect(linear.store.customers()[0]?.revenue).toBe(4200);
  }, 90_000);
});
