/**
 * A job that needs Linear while its "Connect Linear" grant is over waits for a reconnect instead
 * of spending its attempts: with no retries left it would fail for good, yet it runs again and
 * completes once Linear is back. On the real queue (pg-boss on PostgreSQL or PGlite).
 */
import { z } from 'zod';
import { AppError } from '../../server/errors';
import { createQueue, type Queue } from '../../server/jobs/queue';
import { createLogger } from '../../server/log';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/test-db';
import { waitFor } from '../helpers/wait-for';

const JOB = 'needs-linear';
let database: TestDatabase;
let queue: Queue | undefined;
beforeAll(async () => {
  database = await createTestDatabase();
}, 60_000);
afterAll(async () => {
  await queue?.stop();
  await database?.drop();
}, 60_000);

it('reruns a job refused with linear_reconnect_needed without counting an attempt, until Linear is back', async () => {
  let reconnected = false;
  const runs: Array<{ attempt: number; outcome: string }> = [];
  queue = createQueue({
    kind: testDatabaseKind(),
    db: database.db,
    databaseUrl: database.url,
    log: createLogger('silent'),
    concurrency: 1,
    // No retries at all: any other error would end the job at once.
    retryLimit: 0,
    expireInSeconds: 60,
    pollingIntervalSeconds: 0.5,
    waitForReconnectMs: 200,
  });
  queue.register({
    name: JOB,
    schema: z.object({ n: z.number() }),
    async handle(_data, context) {
      const outcome = reconnected ? 'done' : 'waiting';
      runs.push({ attempt: context.attempt, outcome });
      if (!reconnected) {
        if (runs.length === 2) reconnected = true;
        throw new AppError('linear_reconnect_needed', 'Linear is disconnected: reconnect it', { retryable: true });
      }
    },
  });
  await queue.start();
  await queue.send(JOB, { n: 1 }, { key: 'job-1' });
  await waitFor('the job to complete after the reconnect', () => runs.some((r) => r.outcome === 'done') || undefined, 30_000);
  expect(runs).toEqual([
    { attempt: 0, outcome: 'waiting' },
    { attempt: 0, outcome: 'waiting' },
    { attempt: 0, outcome: 'done' },
  ]);
}, 60_000);
