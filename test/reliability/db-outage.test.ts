/**
 * PostgreSQL disappears for a few seconds during traffic (a TCP proxy in front of it stops and
 * drops every connection): every webhook is answered 5xx (or not at all) or accepted durably, no
 * accepted deal is lost, and the server recovers by itself.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { startFakeLinear, type FakeLinear } from '../fakes/linear';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { postKommoDelivery, singleAccountEnv, wonDelivery } from '../helpers/single-account-env';
import { waitFor } from '../helpers/wait-for';
import { createPgDatabase, describeWithPostgres, sleep, type PgDatabase } from './support';

setMaxListeners(0);

class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(readonly port: number, private readonly target: { host: string; port: number }) {}

  static async free(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const address = probe.address();
    await new Promise<void>((r) => probe.close(() => r()));
    return typeof address === 'object' && address ? address.port : 0;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => this.server?.listen(this.port, '127.0.0.1', r));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

describeWithPostgres('database outage behind a TCP proxy', () => {
  let kommo: FakeKommo;
  let linear: FakeLinear;
  let pg: PgDatabase;
  let proxy: TcpProxy | undefined;
  let child: ChildServer | undefined;

  beforeAll(async () => {
    [kommo, linear, pg] = await Promise.all([startFakeKommo(), startFakeLinear(), createPgDatabase()]);
  });
  afterAll(async () => {
    await child?.kill();
    await proxy?.stop();
    await Promise.all([kommo?.close(), linear?.close()]);
    await pg?.drop();
  });

  it('never accepts and loses a webhook, and recovers without a restart', async () => {
    const target = new URL(pg.url);
    proxy = new TcpProxy(await TcpProxy.free(), { host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(pg.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const secret = randomBytes(16).toString('hex');
    child = await startChildServer(
      singleAccountEnv({
        kommo,
        linear,
        database: { DATABASE_URL: viaProxy.toString() },
        webhookSecret: secret,
        extra: { JOB_TIMEOUT_SECONDS: '5', KOMMO_RATE_LIMIT_PER_SECOND: '20' },
      }),
      60_000,
    );
    const server = child;
    const outcomes: { leadId: number; name: string; status: number; phase: string }[] = [];
    let phase = 'before';
    const send = async () => {
      const name = `Outage deal ${outcomes.length}-${randomBytes(3).toString('hex')}`;
      const lead = kommo.addLead({ name, price: 1, statusId: kommo.defaults.wonStatusId });
      const at = phase;
      const status = await postKommoDelivery(server.url, secret, wonDelivery(kommo, lead), AbortSignal.timeout(8000)).then((r) => r.status, () => 0);
      outcomes.push({ leadId: lead.id, name, status, phase: at });
    };
    const traffic = (async () => {
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < 60; i++) {
        inFlight.push(send());
        await sleep(150);
      }
      await Promise.all(inFlight);
    })();
    await sleep(2500);
    phase = 'outage';
    await proxy.stop();
    const ready = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(8000) }).then((r) => r.status, () => 0);
    await sleep(4000);
    phase = 'after';
    await proxy.start();
    await traffic;
    // Recovery: new traffic is accepted and processed, by the same process.
    for (let i = 0; i < 5; i++) await send();
    if (server.process.exitCode !== null) console.log(`server exited with ${server.process.exitCode}:\n${server.output.slice(-40).join('\n')}`);
    expect(server.process.exitCode).toBeNull();

    const accepted = outcomes.filter((o) => o.status === 200);
    const summary = ['before', 'outage', 'after'].map((p) => ({
      phase: p,
      statuses: outcomes.filter((o) => o.phase === p).reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }), {}),
    }));
    await waitFor('every accepted deal to get its issue and note', () => accepted.every((o) => kommo.notes(o.leadId).length > 0), 90_000).catch(() => undefined);
    const lost = accepted.filter((o) => kommo.notes(o.leadId).length === 0).map((o) => `${o.phase}:${o.leadId}`);
    console.log(JSON.stringify({ readyzDuringOutage: ready, summary, accepted: accepted.length, lost }));
    expect(outcomes.every((o) => o.status === 200 || o.status === 0 || o.status >= 500)).toBe(true);
    expect(lost).toEqual([]);
    expect(outcomes.filter((o) => o.phase === 'after').every((o) => o.status === 200)).toBe(true);
    const issues = linear.store.issues();
    expect(accepted.filter((o) => issues.filter((i) => i.title === o.name).length !== 1)).toEqual([]);
  }, 200_000);
});
