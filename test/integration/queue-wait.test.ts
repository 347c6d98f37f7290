/**
 * A job that needs Linear while its "Connect Linear" grant is over waits for a reconnect instead
 * of spending its attempts: with no retries left it would fail for good, yet it runs again and
 * completes once Linear is back. On the real queue (pg-boss on PostgreSQL or PGlite).
 */
import { z } from 'zod';
import { AppError } from '../../server/errors';
import { useTestQueues } from '../helpers/test-queues';
import { waitFor } from '../helpers/wait-for';

const JOB = 'needs-linear';
const testQueue = useTestQueues();

it('reruns a job refused with linear_reconnect_needed without counting an attempt, until Linear is back', async () => {
  let reconnected = false;
  const runs: Array<{ attempt: number; outcome: string }> = [];
  const queue = testQueue(
    {
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
    },
    // No retries at all: any other error would end the job at once.
    { retryLimit: 0, waitForReconnectMs: 200 },
  );
  await queue.start();
  await queue.send(JOB, { n: 1 }, { key: 'job-1' });
  await waitFor('the job to complete after the reconnect', () => runs.some((r) => r.outcome === 'done') || undefined, 30_000);
  expect(runs).toEqual([
    { attempt: 0, outcome: 'waiting' },
    { attempt: 0, outcome: 'waiting' },
    { attempt: 0, outcome: 'done' },
  ]);
}, 60_000);
