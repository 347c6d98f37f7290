import type { ParsedQs } from 'qs';

export interface RecordedRequest {
  method: string;
  path: string;
  query: ParsedQs;
  /** Parsed JSON or form body; undefined when empty or unparsable. */
  body: unknown;
  /** Null while in flight, and for requests the fake never answers (timeout faults). */
  status: number | null;
  /** Arrival time, ms since epoch. */
  time: number;
}

const WINDOW_MS = 1000;

const isApi = (r: RecordedRequest): boolean => r.path.startsWith('/api/v4/');

/** Request log plus the sliding-window arithmetic behind the rate limit. */
export class Traffic {
  readonly requests: RecordedRequest[] = [];

  record(request: RecordedRequest): void {
    this.requests.push(request);
  }

  /**
   * Whether the API request just recorded at `time` is the (limit+1)-th or later in the last second.
   * Rejected requests count too: hammering a limited API keeps it limited.
   */
  overLimit(limit: number, time: number): boolean {
    let count = 0;
    for (let i = this.requests.length - 1; i >= 0; i--) {
      const r = this.requests[i];
      if (!r || time - r.time >= WINDOW_MS) break;
      if (isApi(r)) count++;
    }
    return count > limit;
  }

  /** Highest number of requests inside any 1-second sliding window; API calls only by default. */
  maxRequestsPerSecond(filter: (r: RecordedRequest) => boolean = isApi): number {
    const times = this.requests.filter(filter).map((r) => r.time).sort((a, b) => a - b);
    let max = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while ((times[end] ?? 0) - (times[start] ?? 0) >= WINDOW_MS) start++;
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  clear(): void {
    this.requests.length = 0;
  }
}
