/** The path, headers and body of one load request: random or fresh parts where the spec asks. */
import { createHmac, randomUUID } from 'node:crypto';
import type { LoadSpec } from './lib';

export function requestFor(spec: LoadSpec): { path: string; headers: Record<string, string>; body?: string } {
  const path = spec.randomPath ? `${spec.randomPath.prefix}${1 + Math.floor(Math.random() * spec.randomPath.max)}` : new URL(spec.url).pathname;
  const headers = spec.uniqueHeader ? { ...spec.headers, [spec.uniqueHeader]: randomUUID() } : spec.headers;
  const body = spec.bodies ? spec.bodies[Math.floor(Math.random() * spec.bodies.length)] : spec.body;
  if (spec.linearSecret && body !== undefined) {
    const fresh = JSON.stringify({ ...(JSON.parse(body) as object), webhookId: randomUUID(), webhookTimestamp: Date.now() });
    return { path, headers: { ...headers, 'linear-signature': createHmac('sha256', spec.linearSecret).update(fresh).digest('hex') }, body: fresh };
  }
  return { path, headers, ...(body === undefined ? {} : { body }) };
}
