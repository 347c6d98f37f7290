/**
 * Lease releases of deal links within this process, so a job waiting for a link's lease hears
 * of it at once; a lease held by another process is noticed by polling instead.
 */
import { EventEmitter } from 'node:events';

const released = new EventEmitter();
released.setMaxListeners(0);

/** How often a waiter looks again for a lease another process may have released. */
export const LEASE_POLL_MS = 100;

export function signalLeaseReleased(linkId: string): void {
  released.emit(linkId);
}

/** Resolves when this process releases the link's lease, or after `ms` at most. */
export function leaseMayBeFree(linkId: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      released.off(linkId, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    released.once(linkId, done);
  });
}
