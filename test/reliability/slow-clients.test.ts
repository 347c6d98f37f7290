/**
 * Slow and numerous clients: a body or headers trickled a byte at a time get their 408 within the
 * configured deadlines (not Node's 5 minutes), and connections beyond MAX_CONNECTIONS are closed
 * on arrival while the server keeps answering.
 */
import { connect, type Socket } from 'node:net';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

/** Far below Node's defaults (300 s request, 60 s headers), far above the test's own pace. */
const LIMITS = { HTTP_HEADERS_TIMEOUT_SECONDS: '2', HTTP_REQUEST_TIMEOUT_SECONDS: '120', HTTP_BODY_TIMEOUT_SECONDS: '2', MAX_CONNECTIONS: '20' };
/** How long a test waits for the refusal; the old defaults would need minutes. */
const PATIENCE_MS = 20_000;

interface Raw {
  socket: Socket;
  received: () => string;
  closed: Promise<void>;
  isClosed: () => boolean;
}

function open(url: string): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let data = '';
    let closed = false;
    const socket = connect(Number(port), hostname);
    const done = new Promise<void>((r) => socket.on('close', () => ((closed = true), r())));
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => data, closed: done, isClosed: () => closed }));
    socket.once('error', reject);
  });
}

/** Writes one byte of `text` every `everyMs` until the socket closes or the text runs out. */
function trickle(raw: Raw, text: string, everyMs: number): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (raw.isClosed() || i >= text.length) return clearInterval(timer);
    raw.socket.write(text[i++] ?? '');
  }, everyMs);
  return () => clearInterval(timer);
}

describe('slow and numerous clients', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: LIMITS });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers 408 to a body that trickles in, within the body deadline', async () => {
    const raw = await open(stack.server.url);
    raw.socket.write(
      `POST /webhooks/kommo/${encodeURIComponent(stack.secret)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`,
    );
    const stop = trickle(raw, 'a'.repeat(1000), 300);
    try {
      await waitFor('a 408 for the slow body', () => raw.received().startsWith('HTTP/1.1 408'), PATIENCE_MS);
      await waitFor('the slow connection to be closed', () => raw.isClosed(), PATIENCE_MS);
    } finally {
      stop();
      raw.socket.destroy();
    }
    expect(raw.received()).toContain('request_timeout');
  });

  it('answers 408 to headers that trickle in, within the headers timeout', async () => {
    const raw = await open(stack.server.url);
    raw.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const stop = trickle(raw, `X-Slow: ${'b'.repeat(1000)}\r\n\r\n`, 300);
    try {
      await waitFor('the slow headers to be refused', () => raw.isClosed(), PATIENCE_MS);
    } finally {
      stop();
      raw.socket.destroy();
    }
    expect(raw.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes connections beyond MAX_CONNECTIONS at once and keeps serving', async () => {
    const sockets: Raw[] = [];
    try {
      for (let i = 0; i < 40; i++) sockets.push(await open(stack.server.url));
      // The test's own keep-alive connections may hold a few of the 20 places.
      const closed = await waitFor('the connections over the cap to be closed', () => {
        const n = sockets.filter((s) => s.isClosed() && s.received() === '').length;
        return n >= 20 ? n : undefined;
      }, PATIENCE_MS);
      expect(closed).toBeLessThanOrEqual(40);
      // The first ones, within the cap, are still held (not closed by some timeout).
      expect(sockets.slice(0, 10).filter((s) => s.isClosed())).toHaveLength(0);
    } finally {
      for (const s of sockets) s.socket.destroy();
    }
    await waitFor('the server to answer again', async () => (await fetch(`${stack.server.url}/healthz`)).ok, PATIENCE_MS);
  });
});
