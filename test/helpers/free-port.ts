/**
 * A loopback port nobody listens on right now, for a server whose address must be known before
 * it starts (a PUBLIC_URL, a health probe). Another process could take it in between; tests and
 * benchmarks on one machine accept that.
 */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no loopback port was given'))));
    });
  });
}
