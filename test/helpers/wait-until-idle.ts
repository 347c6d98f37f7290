/**
 * For negative checks ("no second note", "nothing was retried"): instead of sleeping a fixed time
 * and hoping the server is done, wait until nothing more can happen on its own, i.e. the queue has
 * no job waiting, due for a retry or running, and every webhook the fake Linear started has been
 * answered (an answered webhook is a stored job, so the queue is counted again after them).
 */
import { DEAD_LETTER_QUEUE, PENDING_JOB_STATES } from '../../server/jobs/queue';
import type { FakeLinear } from '../fakes/linear';
import { waitFor } from './wait-for';

export type PendingJobs = () => Promise<number>;

export async function waitUntilIdle(pendingJobs: PendingJobs, linear: Pick<FakeLinear, 'webhooksIdle'>, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'the queue to have no job waiting, retrying or running',
    async () => {
      if ((await pendingJobs()) > 0) return false;
      await linear.webhooksIdle();
      return (await pendingJobs()) === 0;
    },
    timeoutMs,
  );
}

/** Pending jobs as a server in another process reports them on `/metrics` (`lfk_jobs` by queue and state). */
export function pendingJobsAt(serverUrl: string): PendingJobs {
  const pending = new Set<string>(PENDING_JOB_STATES);
  return async () => {
    const response = await fetch(`${serverUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
    const rows = [...(await response.text()).matchAll(/^lfk_jobs\{queue="([^"]*)",state="([^"]*)"\} (\d+)$/gm)];
    // The server reports no rows when it could not count (database away): that is not "idle".
    if (rows.length === 0) throw new Error('/metrics has no job counts');
    return rows.reduce((total, [, queue, state, count]) => (queue !== DEAD_LETTER_QUEUE && state && pending.has(state) ? total + Number(count) : total), 0);
  };
}
