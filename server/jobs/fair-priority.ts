/**
 * Fair scheduling across groups (installations) sharing one queue. pg-boss hands out the waiting
 * job with the highest `priority` first, then the oldest (its fetch orders by `priority desc,
 * created_on`). A job is sent with priority −(jobs of its group already waiting), so the n-th
 * waiting job of every group runs before the (n+1)-th of any: one account's backlog of thousands
 * is served in turn with the others, and a single deal of a quiet account runs next.
 *
 * Counting the waiting jobs of a group costs a scan of the queue's waiting jobs, so a count is
 * reused for a short while and bumped locally for each job sent meanwhile: a delivery of a
 * hundred deals costs one count, not a hundred. Other processes' sends within that while are not
 * seen; the order stays fair to within about a second of traffic.
 */

/** Jobs of `group` in `queue` that have yet to start. */
export type CountWaiting = (queue: string, group: string) => Promise<number>;

export interface FairPriority {
  /** The priority for the next job of `group` in `queue`: 0 when none waits, lower the more do. */
  priorityFor(queue: string, group: string): Promise<number>;
}

export interface FairPriorityOptions {
  /** How long a count is reused; 1 s by default. */
  reuseMs?: number;
  now?: () => number;
}

/** pg-boss's priority is a PostgreSQL integer. */
const LOWEST = -2_000_000_000;
/** Beyond this many remembered groups, expired counts are dropped (bounds memory, not fairness). */
const SWEEP_ABOVE = 1000;

export function createFairPriority(countWaiting: CountWaiting, options: FairPriorityOptions = {}): FairPriority {
  const reuseMs = options.reuseMs ?? 1000;
  const now = options.now ?? Date.now;
  const counts = new Map<string, { waiting: number; countedAt: number }>();
  const sweep = (at: number) => {
    if (counts.size <= SWEEP_ABOVE) return;
    for (const [key, entry] of counts) if (at - entry.countedAt >= reuseMs) counts.delete(key);
  };
  return {
    async priorityFor(queue, group) {
      const key = `${queue}\u0000${group}`;
      const at = now();
      let entry = counts.get(key);
      if (!entry || at - entry.countedAt >= reuseMs) {
        entry = { waiting: await countWaiting(queue, group), countedAt: at };
        counts.set(key, entry);
        sweep(at);
      }
      const ahead = entry.waiting;
      entry.waiting += 1;
      return ahead > 0 ? Math.max(LOWEST, -ahead) : 0;
    },
  };
}
