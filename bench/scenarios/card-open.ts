/**
 * 4. Card open: GET /api/widget/leads/:id with a signed one-time token, 10,000 links in the
 * database (inserted directly while no server has the database open), zero Linear calls.
 */
import { startFakeKommo } from '../../test/fakes/kommo';
import { startFakeLinear } from '../../test/fakes/linear';
import { signKommoToken } from '../../test/helpers/kommo-token';
import { createBenchDb, newSecrets, PUBLIC_URL, roundResult, runLoad, serverEnv, stopServerProcess, type DbKind, type LoadResult } from '../lib';
import { startWithLinkedDeals } from '../seed-linked-deals';

export interface CardOpenResult {
  db: DbKind;
  links: number;
  sequential: LoadResult;
  concurrent: LoadResult;
  linearCalls: number;
  sampleAnswer: string;
}

export async function cardOpen(kind: DbKind, links: number, requests: number): Promise<CardOpenResult> {
  const [kommo, linear, db] = await Promise.all([startFakeKommo(), startFakeLinear(), createBenchDb(kind)]);
  const secrets = newSecrets();
  const env = serverEnv({ db, kommo, linear, ...secrets });
  const child = await startWithLinkedDeals(env, db, links, () => kommo.requests.length > 0 && linear.requests.length > 0);
  try {
    const token = signKommoToken({
      secret: secrets.client.secret,
      claims: { iss: kommo.baseUrl, aud: new URL(PUBLIC_URL).origin, account_id: kommo.account.accountId, subdomain: kommo.account.subdomain, client_uuid: secrets.client.id },
    });
    const headers = { 'x-auth-token': token, origin: kommo.baseUrl };
    const sample = await fetch(`${child.url}/api/widget/leads/42`, { headers });
    const sampleAnswer = `${sample.status} ${(await sample.text()).slice(0, 160)}`;
    if (sample.status !== 200) throw new Error(`card open answered ${sampleAnswer}`);
    const linear0 = linear.requests.length;
    const spec = { url: `${child.url}/api/widget/leads/1`, method: 'GET' as const, headers, randomPath: { prefix: '/api/widget/leads/', max: links } };
    await runLoad({ ...spec, connections: 1, amount: 300 }); // warm-up
    const sequential = await runLoad({ ...spec, connections: 1, amount: requests });
    const concurrent = await runLoad({ ...spec, connections: 10, amount: requests });
    return { db: kind, links, sequential: roundResult(sequential), concurrent: roundResult(concurrent), linearCalls: linear.requests.length - linear0, sampleAnswer };
  } finally {
    if (child.process.exitCode === null) await stopServerProcess(child);
    await Promise.all([kommo.close(), linear.close()]);
    await db.drop();
  }
}
