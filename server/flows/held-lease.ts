/**
 * A link's lease, kept for as long as the run that took it is alive. A run can outlast the lease
 * it was given: a backlog waits its turn at Kommo's rate limit, a starved CPU slows everything.
 * Without renewal another worker would take the link over while this run still works on it, and
 * both would post the deal's note. A crashed process stops renewing, so its lease still runs out
 * and the link is taken over as before.
 */
import { AppError } from '../errors';
import type { LinkStore } from './ports';

export interface HeldLease {
  /** Renews the lease now and throws a retryable conflict if another run holds it: call before a step that is not idempotent. */
  assertHeld(): Promise<void>;
  /** Stops renewing and gives the lease back. */
  release(): Promise<void>;
}

export function holdLease(links: Pick<LinkStore, 'acquireLease' | 'releaseLease'>, id: string, owner: string, seconds: number): HeldLease {
  let lost = false;
  const renew = async () => {
    if (!(await links.acquireLease(id, owner, seconds))) lost = true;
  };
  // A third of the lease: two renewals can fail (a database blip) before it runs out.
  const timer = setInterval(() => void renew().catch(() => undefined), Math.max(500, (seconds * 1000) / 3));
  timer.unref();
  return {
    async assertHeld() {
      if (!lost) await renew();
      if (lost) throw new AppError('conflict', 'Another worker took over this deal while it was being processed', { retryable: true, retryAfterMs: 2000 });
    },
    async release() {
      clearInterval(timer);
      await links.releaseLease(id, owner);
    },
  };
}
