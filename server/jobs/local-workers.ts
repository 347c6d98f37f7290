/**
 * Which of this process's queue workers looks for a job, and when. pg-boss's workers each poll on
 * their own; ten workers on each of ten queues polling every two seconds made about fifty
 * fetches a second with nothing to do, most of the statements an idle server ran, and on PGlite's
 * single connection (on the server's own thread) three empty fetches for each job under load.
 * Here a queue polls with one idle worker per interval; a job sent from this process wakes an
 * idle worker at once; a worker that found a job by polling, or right after its last one, wakes
 * another idle worker, so a backlog queued elsewhere (another instance) soon has every worker.
 */

export interface LocalWorkers {
  add(queue: string, workerId: string): void;
  /** A job of `queue` was sent from this process. */
  sent(queue: string): void;
  /** A worker fetched a job and starts it. */
  started(queue: string, workerId: string): void;
  /** A worker finished its job: it looks for the next one at once. */
  finished(queue: string, workerId: string): void;
  /** Polls `queue` with one idle worker every `pollingMs` from now on. */
  poll(queue: string): void;
  stop(): void;
}

interface Worker {
  id: string;
  busy: boolean;
  /** Woken for a job sent here: that job is what it finds, and it is no sign of a backlog. */
  wokenForSend: boolean;
}

export function createLocalWorkers(notify: (workerId: string) => void, pollingMs: number): LocalWorkers {
  const queues = new Map<string, { workers: Worker[]; next: number }>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const queueOf = (name: string) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = { workers: [], next: 0 };
      queues.set(name, queue);
    }
    return queue;
  };
  const find = (name: string, id: string) => queues.get(name)?.workers.find((w) => w.id === id);

  /** Wakes the next idle worker; none when every worker is busy (each looks again when done). */
  function wakeIdle(name: string, forSend: boolean): void {
    if (stopped) return;
    const queue = queueOf(name);
    const count = queue.workers.length;
    for (let i = 0; i < count; i++) {
      const worker = queue.workers[(queue.next + i) % count];
      if (!worker || worker.busy) continue;
      queue.next = (queue.next + i + 1) % count;
      if (forSend) worker.wokenForSend = true;
      notify(worker.id);
      return;
    }
  }

  return {
    add(name, id) {
      queueOf(name).workers.push({ id, busy: false, wokenForSend: false });
    },
    sent: (name) => wakeIdle(name, true),
    started(name, id) {
      const worker = find(name, id);
      if (!worker) return;
      worker.busy = true;
      const foundUnasked = !worker.wokenForSend;
      worker.wokenForSend = false;
      if (foundUnasked) wakeIdle(name, false);
    },
    finished(name, id) {
      const worker = find(name, id);
      if (worker) worker.busy = false;
      if (!stopped) notify(id);
    },
    poll(name) {
      const timer = setInterval(() => wakeIdle(name, false), pollingMs);
      timer.unref();
      timers.add(timer);
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      timers.clear();
    },
  };
}
