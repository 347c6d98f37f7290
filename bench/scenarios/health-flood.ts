/**
 * /healthz under a flood of Kommo webhooks with random URL secrets at saturation (autocannon, 200
 * connections), next to its p99 when idle: on the main port, and on HEALTH_PORT's own listener.
 * Probes are paced (20/s, one connection) from a second load process.
 */
import { startFakeKommo } from '../../test/fakes/kommo';
import { startFakeLinear } from '../../test/fakes/linear';
import { createBenchDb, newSecrets, roundResult, runLoad, serverEnv, sleep, startServerProcess, stopServerProcess, type DbKind, type LoadResult, type LoadSpec } from '../lib';
import { freePort } from '../../test/helpers/free-port';

export interface HealthFloodResult {
  db: DbKind;
  idle: { main: LoadResult; healthPort: LoadResult };
  flood: { main: LoadResult; healthPort: LoadResult; webhooks: LoadResult };
}

const PROBE_RATE = 20;
const FLOOD_CONNECTIONS = 200;


export async function healthFlood(kind: DbKind, durationSeconds: number): Promise<HealthFloodResult> {
  const [kommo, linear, db] = await Promise.all([startFakeKommo(), startFakeLinear(), createBenchDb(kind)]);
  const healthPort = await freePort();
  const child = await startServerProcess(serverEnv({ db, kommo, linear, ...newSecrets(), extra: { HEALTH_PORT: String(healthPort) } }));
  try {
    const probe = (url: string): LoadSpec => ({ url: `${url}/healthz`, method: 'GET', headers: {}, connections: 1, rate: PROBE_RATE, durationSeconds });
    const healthUrl = `http://127.0.0.1:${healthPort}`;
    await sleep(1000);
    const idleMain = await runLoad(probe(child.url));
    const idleHealth = await runLoad(probe(healthUrl));
    const flood: LoadSpec = {
      url: `${child.url}/webhooks/kommo/x`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'account[id]=1',
      connections: FLOOD_CONNECTIONS,
      // A different wrong secret on every request (a number below 10^12).
      randomPath: { prefix: '/webhooks/kommo/', max: 1e12 },
      durationSeconds: durationSeconds + 2,
      saturate: true,
    };
    const webhooks = runLoad(flood);
    await sleep(1000);
    const [floodMain, floodHealth] = await Promise.all([runLoad(probe(child.url)), runLoad(probe(healthUrl))]);
    return {
      db: kind,
      idle: { main: roundResult(idleMain), healthPort: roundResult(idleHealth) },
      flood: { main: roundResult(floodMain), healthPort: roundResult(floodHealth), webhooks: roundResult(await webhooks) },
    };
  } finally {
    await stopServerProcess(child);
    await Promise.all([kommo.close(), linear.close()]);
    await db.drop();
  }
}
