/** Forked by bench/lib.ts: runs one autocannon load described by a LoadSpec and reports back over IPC. */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { LoadSpec } from './lib';

process.once('message', (spec: LoadSpec) => {
  const request: autocannon.RequestSpec = { method: spec.method, headers: spec.headers, ...(spec.body === undefined ? {} : { body: spec.body }) };
  if (spec.randomPath || spec.uniqueHeader) {
    const url = new URL(spec.url);
    request.setupRequest = (req) => {
      const next: autocannon.RequestSpec = { ...req, headers: { ...req.headers } };
      if (spec.randomPath) next.path = `${spec.randomPath.prefix}${1 + Math.floor(Math.random() * spec.randomPath.max)}`;
      else next.path = url.pathname;
      if (spec.uniqueHeader && next.headers) next.headers[spec.uniqueHeader] = randomUUID();
      return next;
    };
  }
  autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSeconds ?? 5 }),
    ...(spec.rate ? { overallRate: spec.rate } : {}),
    timeout: 10,
    requests: [request],
  })
    .then((result) => process.send?.({ ok: true, result }))
    .catch((error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }));
});
