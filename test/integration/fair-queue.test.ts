/**
 * Fair scheduling across installations, on the real queue (pg-boss on PostgreSQL or PGlite):
 * account A's backlog is queued first, account B's one job after it, and one worker then takes
 * B's job second, not after A's whole backlog. The order is what is asserted, not any duration.
 */
import { z } from 'zod';
import type { Queue } from '../../server/jobs/queue';
import { useTestQueues } from '../helpers/test-queues';
import { waitFor } from '../helpers/wait-for';

const JOB = 'fairness-probe';
const BACKLOG = 300;
const Payload = z.object({ account: z.string(), n: z.number() });

const testQueue = useTestQueues();
const queueWith = (handle: (data: z.infer<typeof Payload>) => Promise<void>): Queue => testQueue({ name: JOB, schema: Payload, handle });

it(`runs the one job of a quiet account second, not after another account's ${BACKLOG}-job backlog`, async () => {
  // Everything is queued before any worker runs, as when a backlog piled up during an outage.
  const sender = queueWith(async () => undefined);
  await sender.start({ workers: false });
  for (let n = 0; n < BACKLOG; n++) await sender.send(JOB, { account: 'A', n }, { key: `A:${n}`, group: 'installation-a' });
  await sender.send(JOB, { account: 'B', n: 0 }, { key: 'B:0', group: 'installation-b' });
  await sender.stop();

  const order: string[] = [];
  const worker = queueWith(async (data) => {
    order.push(`${data.account}${data.n}`);
  });
  await worker.start();
  // Ten jobs are enough to tell: without fairness B's job would be the 301st.
  await waitFor("account B's job, or ten of A's", () => order.includes('B0') || order.length >= 10, 60_000);
  // A's oldest job ties with B's on priority and is older; every later job of A has one more ahead of it.
  expect(order.indexOf('B0')).toBe(1);
  expect(order.slice(0, 2)).toEqual(['A0', 'B0']);
}, 120_000);
