/**
 * A worker that has just run a job looks for the next one at once. pg-boss alone waits out the
 * rest of its polling interval after every job (node_modules/pg-boss/src/worker.js), so one
 * worker ran at most one job per interval and a backlog drained at workers ÷ interval (the
 * backlog benchmark's 10 deals/s with 20 workers). Here the interval is a minute and the jobs
 * were queued by another process (no local wake-up): five jobs can only all run within the test
 * if the worker goes on without waiting for its next poll.
 */
import { z } from 'zod';
import type { Queue } from '../../server/jobs/queue';
import { useTestQueues } from '../helpers/test-queues';
import { waitFor } from '../helpers/wait-for';

const JOB = 'back-to-back-probe';
const JOBS = 5;
const POLLING_SECONDS = 60;
const Payload = z.object({ n: z.number() });

const testQueue = useTestQueues();
const queueWith = (handle: (data: z.infer<typeof Payload>) => Promise<void>): Queue =>
  testQueue({ name: JOB, schema: Payload, handle }, { pollingIntervalSeconds: POLLING_SECONDS });

it(`runs ${JOBS} waiting jobs back to back with one worker polling once a minute`, async () => {
  const sender = queueWith(async () => undefined);
  await sender.start({ workers: false });
  for (let n = 0; n < JOBS; n++) await sender.send(JOB, { n }, { key: `job:${n}` });
  await sender.stop();

  const ran: number[] = [];
  const worker = queueWith(async (data) => {
    ran.push(data.n);
  });
  // The worker's first poll happens at start; without going on at once, job 2 would wait a minute.
  await worker.start();
  await waitFor(`all ${JOBS} jobs`, () => ran.length >= JOBS, 30_000);
  expect([...ran].sort()).toEqual([0, 1, 2, 3, 4]);
}, 60_000);

it('puts every worker on a backlog queued by another process, though the queue polls with one worker at a time', async () => {
  const WORKERS = 4;
  let running = 0;
  let mostAtOnce = 0;
  const worker = testQueue(
    {
      name: JOB,
      schema: Payload,
      async handle() {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 4500));
        running--;
      },
    },
    { concurrency: WORKERS, pollingIntervalSeconds: 2 },
  );
  await worker.start();
  // The workers after the first join over the next two polling intervals.
  await new Promise((resolve) => setTimeout(resolve, 4500));
  const sender = queueWith(async () => undefined);
  await sender.start({ workers: false });
  for (let n = 0; n < WORKERS; n++) await sender.send(JOB, { n }, { key: `backlog:${n}` });
  await waitFor('the backlog to drain', async () => (await worker.pending()) === 0, 30_000);
  // Without passing the word on, one poll per interval (2 s) finds one job while the first
  // worker goes on back to back: at most two of these 1.5 s jobs would run at once.
  expect(mostAtOnce).toBe(WORKERS);
}, 60_000);
