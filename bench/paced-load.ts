/**
 * The load generator for latency: requests leave on a fixed schedule (open loop) or one after
 * another per connection (closed loop), and each latency is measured from when the request was
 * due. autocannon is kept for saturation, but its fixed rate is not usable for latency: it sends
 * each connection's quota for the second back to back at the start of the second, so its p99
 * measures its own bursts (`rateInterval` in
 * https://github.com/mcollina/autocannon/blob/master/lib/httpClient.js).
 * Also records the server's own time from its Server-Timing header.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile, type LoadResult, type LoadSpec } from './lib';
import { requestFor } from './request-for';

const TIMEOUT_MS = 10_000;

interface Outcome {
  latencyMs: number;
  status: number;
  serverMs?: number;
}

export async function pacedLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const outcomes: Outcome[] = [];
  let errors = 0;
  let timeouts = 0;
  const send = (dueAt: number) =>
    once(agent, spec, dueAt).then(
      (outcome) => void outcomes.push(outcome),
      (error: unknown) => (error instanceof Error && error.message === 'timeout' ? timeouts++ : errors++),
    );
  const startedAt = performance.now();
  if (spec.rate) {
    const interval = 1000 / spec.rate;
    const total = Math.round(spec.rate * (spec.durationSeconds ?? 5));
    const inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const dueAt = startedAt + i * interval;
      const wait = dueAt - performance.now();
      if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(send(dueAt));
    }
    await Promise.all(inFlight);
  } else {
    const amount = spec.amount ?? 1000;
    let next = 0;
    await Promise.all(
      Array.from({ length: spec.connections }, async () => {
        while (next++ < amount) await send(performance.now());
      }),
    );
  }
  agent.destroy();
  const seconds = (performance.now() - startedAt) / 1000;
  const latencies = outcomes.map((o) => o.latencyMs);
  const server = outcomes.flatMap((o) => (o.serverMs === undefined ? [] : [o.serverMs]));
  const count = (from: number) => outcomes.filter((o) => o.status >= from && o.status < from + 100).length;
  return {
    requests: outcomes.length,
    throughput: outcomes.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    non2xx: outcomes.length - count(200),
    errors,
    timeouts,
    status: { '2xx': count(200), '4xx': count(400), '5xx': count(500) },
    ...(server.length > 0 ? { serverP50: percentile(server, 50), serverP99: percentile(server, 99) } : {}),
  };
}

function once(agent: http.Agent, spec: LoadSpec, dueAt: number): Promise<Outcome> {
  const request = requestFor(spec);
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(request.path, spec.url), { method: spec.method, headers: request.headers, agent, timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      res.once('end', () => {
        const timing = /dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
        resolve({ latencyMs: performance.now() - dueAt, status: res.statusCode ?? 0, ...(timing?.[1] ? { serverMs: Number(timing[1]) } : {}) });
      });
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end(request.body);
  });
}
