/**
 * A server process killed (SIGKILL) after creating the Linear issue but before writing back to
 * Kommo: the next process resumes the job and finishes it, still with one issue and one note.
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

describe('crash between issueCreate and the Kommo write-backs', () => {
  let kommo: FakeKommo;
  let linear: FakeLinear;
  let db: TestDatabase | undefined;
  let dataDir: string;
  let child: ChildServer | undefined;

  beforeAll(async () => {
    [kommo, linear] = await Promise.all([startFakeKommo(), startFakeLinear()]);
    dataDir = mkdtempSync(join(tmpdir(), 'lfk-crash-'));
    // On PostgreSQL the processes share a throwaway database; on PGlite, the data folder.
    if (process.env.TEST_DATABASE_URL) db = await createTestDatabase();
  });
  afterAll(async () => {
    await child?.kill();
    await Promise.all([kommo.close(), linear.close()]);
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after SIGKILL with exactly one issue, one field value and one note', async () => {
    const secret = randomBytes(16).toString('hex');
    const env = singleAccountEnv({
      kommo,
      linear,
      database: { DATA_DIR: dataDir, ...(db?.url ? { DATABASE_URL: db.url } : {}) },
      webhookSecret: secret,
      extra: { HTTP_TIMEOUT_MS: '30000', JOB_TIMEOUT_SECONDS: '4' },
    });
    const lead = kommo.addLead({ name: 'Crash in the middle', price: 10, statusId: kommo.defaults.wonStatusId });
    // Kommo hangs on every write-back, so the process is stuck right after issueCreate.
    const hangs = [
      kommo.inject({ method: 'PATCH', path: /^\/api\/v4\/leads\/\d+$/, kind: 'timeout', times: Infinity }),
      kommo.inject({ method: 'POST', path: /\/notes$/, kind: 'timeout', times: Infinity }),
      kommo.inject({ method: 'POST', path: /custom_fields$/, kind: 'timeout', times: Infinity }),
    ];
    child = await startChildServer(env);
    const answer = await postKommoDelivery(child.url, secret, wonDelivery(kommo, lead));
    expect(answer.status).toBe(200);
    await waitFor('the issue in Linear', () => linear.store.issues().find((i) => i.title === 'Crash in the middle'));
    await waitFor('the process to be inside a Kommo write', () => kommo.requests.some((r) => r.method === 'POST' && r.path.endsWith('/notes')) || kommo.requests.some((r) => r.method === 'PATCH'));
    await child.kill('SIGKILL');
    for (const h of hangs) h.cancel();

    child = await startChildServer(env);
    await waitFor('the note after the restart', () => kommo.notes(lead.id)[0], 40_000);
    const issue = linear.store.issues().find((i) => i.title === 'Crash in the middle');
    await waitFor('the field after the restart', () => kommo.fieldValue(lead.id, 'Linear issue') === issue?.identifier, 20_000);
    await waitUntilIdle(pendingJobsAt(child.url), linear);
    expect(linear.store.issues().filter((i) => i.title === 'Crash in the middle')).toHaveLength(1);
    expect(kommo.notes(lead.id)).toHaveLength(1);
    expect(linear.store.attachments().filter((a) => a.url.endsWith(`/leads/detail/${lead.id}`))).toHaveLength(1);
  }, 90_000);
});
