/**
 * Forked by bench/lib.ts: runs one load described by a LoadSpec and reports a LoadResult over IPC.
 * Saturation (no rate, `saturate`) uses autocannon; latency runs use the paced generator.
 */
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './lib';
import { pacedLoad } from './paced-load';
import { requestFor } from './request-for';

async function saturate(spec: LoadSpec): Promise<LoadResult> {
  const request: autocannon.RequestSpec = { method: spec.method, headers: spec.headers, ...(spec.body === undefined ? {} : { body: spec.body }) };
  if (spec.randomPath || spec.uniqueHeader || spec.bodies || spec.linearSecret) request.setupRequest = (req) => ({ ...req, ...requestFor(spec) });
  const r = await autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSeconds ?? 5 }),
    timeout: 10,
    requests: [request],
  });
  return {
    requests: r.requests.total,
    throughput: r.requests.total / Math.max(r.duration, 0.001),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    status: { '2xx': r['2xx'], '4xx': r['4xx'], '5xx': r['5xx'] },
  };
}

process.once('message', (spec: LoadSpec) => {
  (spec.saturate ? saturate(spec) : pacedLoad(spec))
    .then((result) => process.send?.({ ok: true, result }))
    .catch((error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }));
});
