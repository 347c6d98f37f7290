/**
 * The HTTP listener with its limits against slow and numerous clients: Node's defaults hold a
 * request for 5 minutes (`requestTimeout`), check it only every 30 s, and accept any number of
 * connections. https://nodejs.org/api/http.html#httpcreateserveroptions-requestlistener
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { HttpLimits } from '../config';

/** How often Node looks for requests past their headers or request timeout. */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

export function listen(handler: RequestListener, port: number, host: string, limits: HttpLimits): Promise<Server> {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, limits.headersTimeoutMs),
    },
    handler,
  );
  // Connections beyond the cap are closed on arrival, before any byte is read.
  server.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
