import { problem, type Reply } from './http';
import type { Json } from './types';

/** 204 is Kommo's "no content" for an empty result (give `body: ''`). */
export type FaultStatus = 200 | 204 | 401 | 402 | 403 | 429 | 500 | 502 | 503;

interface FaultMatch {
  /** Upper-case HTTP method; any when omitted. */
  method?: string;
  /** Tested against the path without the query string; any when omitted. */
  path?: RegExp;
  /** How many matching requests the fault hits; 1 by default, `Infinity` for all. */
  times?: number;
}

export type FaultRule = FaultMatch &
  (
    | { kind?: 'status'; status: FaultStatus; body?: string; contentType?: string; headers?: Record<string, string> }
    /** The request is accepted and never answered: clients must time out. */
    | { kind: 'timeout' }
    /** The request is handled only after `ms` (a slow Kommo), then answered as usual. */
    | { kind: 'slow'; ms: number }
    /** The write is applied, then a 500 goes back: tests idempotent retries. */
    | { kind: 'after-commit-500' }
    /** Answers 200 with this body instead of the route's (a captured or documented response shape). */
    | { kind: 'body'; json: Json }
    /** The route runs as usual, then its JSON body is rewritten (a variant of the same record). */
    | { kind: 'reshape'; reshape: (body: Json) => Json }
  );

export interface FaultHandle {
  /** Hits left before the fault stops matching. */
  readonly remaining: number;
  cancel(): void;
}

interface ActiveFault {
  rule: FaultRule;
  remaining: number;
}

export class FaultInjector {
  private active: ActiveFault[] = [];

  add(rule: FaultRule): FaultHandle {
    const fault: ActiveFault = { rule, remaining: rule.times ?? 1 };
    this.active.push(fault);
    return {
      get remaining() {
        return fault.remaining;
      },
      cancel: () => {
        fault.remaining = 0;
      },
    };
  }

  /** The first live fault matching the request, consuming one of its hits. */
  take(method: string, path: string): FaultRule | undefined {
    this.active = this.active.filter((f) => f.remaining > 0);
    const fault = this.active.find((f) => {
      if (f.rule.path) f.rule.path.lastIndex = 0; // a /g regex would otherwise alternate between hits
      return (f.rule.method === undefined || f.rule.method.toUpperCase() === method) && (f.rule.path === undefined || f.rule.path.test(path));
    });
    if (!fault) return undefined;
    fault.remaining -= 1;
    return fault.rule;
  }

  clear(): void {
    this.active = [];
  }
}

export function faultReply(rule: Extract<FaultRule, { status: FaultStatus }>): Reply {
  if (rule.body === undefined) return { ...problem(rule.status, 'Injected fault'), ...(rule.headers && { headers: rule.headers }) };
  return { status: rule.status, body: rule.body, contentType: rule.contentType ?? 'text/plain; charset=utf-8', ...(rule.headers && { headers: rule.headers }) };
}
