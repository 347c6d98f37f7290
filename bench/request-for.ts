/** The path and headers of one load request: a random path or a fresh unique header when the spec asks. */
import { randomUUID } from 'node:crypto';
import type { LoadSpec } from './lib';

export function requestFor(spec: LoadSpec): { path: string; headers: Record<string, string> } {
  const path = spec.randomPath ? `${spec.randomPath.prefix}${1 + Math.floor(Math.random() * spec.randomPath.max)}` : new URL(spec.url).pathname;
  const headers = spec.uniqueHeader ? { ...spec.headers, [spec.uniqueHeader]: randomUUID() } : spec.headers;
  return { path, headers };
}
