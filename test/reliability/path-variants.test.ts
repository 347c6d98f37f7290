/**
 * Every route, reached through path variants a router and its middleware could disagree on
 * (case, trailing slash, double slash, percent-encoding), without credentials: the answer is a
 * refusal (401/404, or 400/415 for the public hooks), never a 5xx, and never a route handler
 * running without its middleware (which would log an error).
 */
import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '../helpers/stack';

/** A concrete path for a route pattern: parameters get plausible values. */
function concrete(pattern: string): string {
  return pattern
    .replace(':leadId', '123')
    .replace(':linkId', randomUUID())
    .replace(':installation', randomUUID())
    .replace(':secret', 'not-a-known-secret-0123456789')
    .replace('{*rest}', 'leads/123');
}

/** Case, slash and encoding variants of a path; each still "means" the same route to a lenient reader. */
function variants(path: string): string[] {
  const segments = path.split('/');
  const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
  const encodeFirstLetter = (s: string) => s.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`);
  const out = new Set<string>([
    path,
    path.toUpperCase(),
    segments.map(capitalize).join('/'),
    segments.map((s, i) => (i === segments.length - 1 ? capitalize(s) : s)).join('/'),
    segments.map((s, i) => (i === 2 ? capitalize(s) : s)).join('/'),
    `${path}/`,
    `${path}//`,
    `/${path}`,
    path.replace(/\/([^/]*)$/, '//$1'),
    path.replace('/', '//'),
    segments.map(encodeFirstLetter).join('/'),
    segments.map((s, i) => (i === segments.length - 1 ? encodeFirstLetter(s) : s)).join('/'),
    path.replace(/\//g, '%2F').replace(/^%2F/, '/'),
    path.replace(/\/([^/]*)$/, '/%2F$1'),
    `${path}%2F`,
    `${path}/.`,
    path.replace(/\/([^/]*)$/, '/./$1'),
    `${path};x=1`,
  ]);
  return [...out];
}

/** A raw request: fetch would normalise some of these paths away. */
async function send(base: string, method: string, path: string): Promise<number> {
  const { request } = await import('node:http');
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { 'content-type': 'application/json', origin: 'https://evil.example' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(method === 'GET' || method === 'DELETE' || method === 'OPTIONS' ? undefined : '{}');
  });
}

describe('path variants never reach a handler without its middleware', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('walks every route with case, trailing-slash, double-slash and percent-encoded variants', async () => {
    const routes = stack.server.routes;
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.some((r) => r.path.startsWith('/api/widget/settings'))).toBe(true);
    const failures: string[] = [];
    let tried = 0;
    for (const route of routes) {
      const widget = route.path.toLowerCase().includes('/api/widget');
      for (const path of variants(concrete(route.path))) {
        tried++;
        const status = await send(stack.server.url, route.method, path);
        // Widget routes: no token → 401, or no such route → 404 (an OPTIONS preflight → 204); 405
        // when the variant is another route's path (`/links/.` is DELETE /links/:linkId).
        const allowed = widget ? (route.method === 'OPTIONS' ? [204, 404] : [401, 404, 405]) : [200, 204, 302, 400, 401, 404, 405, 415];
        if (!allowed.includes(status)) failures.push(`${route.method} ${path} → ${status}`);
      }
    }
    expect(tried).toBeGreaterThan(200);
    expect(failures).toEqual([]);
    const errors = stack.logs.filter((line) => line.includes('"level":"error"'));
    expect(errors).toEqual([]);
  });
});
