/**
 * Refused requests are logged at a bounded rate: the first few of each kind per second, then the
 * number left out is reported on the next line of that kind. A flood of bad requests then costs
 * a few lines a second instead of one per request.
 */
export interface LogSampler {
  /** Whether to write this line now, and how many of its kind were left out before it. */
  take(kind: string): { log: boolean; suppressed: number };
}

interface Window {
  startedAt: number;
  logged: number;
  suppressed: number;
}

export function createLogSampler(perSecond: number, now: () => number = Date.now): LogSampler {
  // Keyed by error code: a fixed, small set.
  const windows = new Map<string, Window>();
  return {
    take(kind) {
      const at = now();
      let window = windows.get(kind);
      if (!window) {
        window = { startedAt: at, logged: 0, suppressed: 0 };
        windows.set(kind, window);
      }
      if (at - window.startedAt >= 1000) {
        window.startedAt = at;
        window.logged = 0;
      }
      if (window.logged >= perSecond) {
        window.suppressed++;
        return { log: false, suppressed: 0 };
      }
      window.logged++;
      const suppressed = window.suppressed;
      window.suppressed = 0;
      return { log: true, suppressed };
    },
  };
}
