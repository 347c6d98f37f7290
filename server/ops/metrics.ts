/**
 * Prometheus metrics. Each app gets its own registry so several servers can live in one test
 * process; job counts are read from the queue when scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  webhooks: Counter<'source' | 'outcome'>;
  /** Events of an accepted delivery that were not acted on: malformed, over the cap. */
  webhookEventsSkipped: Counter<'source' | 'reason'>;
  upstreamCalls: Counter<'service' | 'outcome'>;
  upstreamSeconds: Histogram<'service'>;
  wonToIssueSeconds: Histogram;
  jobs: Gauge<'queue' | 'state'>;
}

export function createMetrics(jobCounts: () => Promise<Array<{ name: string; state: string; count: number }>>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const jobs = new Gauge({
    name: 'lfk_jobs',
    help: 'Jobs by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await jobCounts().catch(() => [])) this.set({ queue: row.name, state: row.state }, row.count);
    },
  });
  return {
    registry,
    jobs,
    webhooks: new Counter({
      name: 'lfk_webhooks_received_total',
      help: 'Webhook deliveries received, by source and outcome',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
    webhookEventsSkipped: new Counter({
      name: 'lfk_webhook_events_skipped_total',
      help: 'Events of a webhook delivery skipped while its other events were kept, by source and reason',
      labelNames: ['source', 'reason'] as const,
      registers: [registry],
    }),
    upstreamCalls: new Counter({
      name: 'lfk_upstream_calls_total',
      help: 'Calls to Kommo and Linear, by service and outcome',
      labelNames: ['service', 'outcome'] as const,
      registers: [registry],
    }),
    upstreamSeconds: new Histogram({
      name: 'lfk_upstream_call_seconds',
      help: 'Duration of calls to Kommo and Linear',
      labelNames: ['service'] as const,
      buckets: [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    wonToIssueSeconds: new Histogram({
      name: 'lfk_won_to_issue_seconds',
      help: 'From the Won webhook to the issue created with all write-backs done',
      buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  };
}
