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
