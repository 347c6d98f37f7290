/**
 * `npm run cli -- backfill` as a separate process against a real database and the fakes: the
 * dry run's count is what the run creates, and a CLI killed (SIGKILL) mid-run leaves a backfill
 * the next server start finishes, with one issue per deal. On PostgreSQL when TEST_DATABASE_URL
 * is set, else on PGlite (one process at a time on its data folder).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { startFakeLinear, type FakeLinear } from '../fakes/linear';
import { startChildServer } from '../helpers/child-server';
import { issuesOf, seedDeal } from '../helpers/deals';
import { singleAccountEnv } from '../helpers/single-account-env';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { waitFor } from '../helpers/wait-for';
import { pendingJobsAt, waitUntilIdle } from '../helpers/wait-until-idle';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const today = () => new Date().toISOString().slice(0, 10);

describe('npm run cli -- backfill', () => {
  let kommo: FakeKommo;
  let linear: FakeLinear;
  let db: TestDatabase | undefined;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    [kommo, linear] = await Promise.all([startFakeKommo(), startFakeLinear()]);
    dataDir = mkdtempSync(join(tmpdir(), 'lfk-backfill-'));
    if (process.env.TEST_DATABASE_URL) db = await createTestDatabase();
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ENV_FILE: '/dev/null',
      ...singleAccountEnv({
        kommo,
        linear,
        database: { DATA_DIR: dataDir, ...(db?.url ? { DATABASE_URL: db.url } : {}) },
        webhookSecret: randomBytes(16).toString('hex'),
        extra: { HTTP_TIMEOUT_MS: '30000', JOB_TIMEOUT_SECONDS: '4', KOMMO_RATE_LIMIT_PER_SECOND: '20' },
      }),
    };
    // The installation is created by the server's first start; the CLI reads the same database.
    const server = await startChildServer(env);
    await server.kill('SIGTERM');
  });
  afterAll(async () => {
    await Promise.all([kommo.close(), linear.close()]);
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, env, timeout: 120_000 });

  it('counts in a dry run what the run then creates, and shows the progress as lines off a terminal', async () => {
    const deals = [seedDeal({ kommo }), seedDeal({ kommo }), seedDeal({ kommo })];
    const dry = (await cli('backfill', '--since', today(), '--dry-run')).stdout;
    expect(dry).toMatch(/^3 deal issue\(s\) would be created$/m);
    for (const lead of deals) expect(dry).toContain(`deal ${lead.id} won`);
    expect(linear.store.issues()).toHaveLength(0);

    const { stdout } = await cli('backfill', '--since', today());
    expect(stdout).toMatch(/: 3 of 3 done, 0 error\(s\): done$/m);
    expect(stdout).not.toContain('\r');
    for (const lead of deals) expect(issuesOf({ linear }, lead.id)).toHaveLength(1);
    expect((await cli('backfill', 'status')).stdout).toMatch(/3 of 3 done, 0 error\(s\): done/);
    expect((await cli('backfill', '--since', today(), '--dry-run')).stdout).toMatch(/^0 deal issue\(s\) would be created$/m);
  }, 240_000);

  it('resumes a backfill whose CLI was killed mid-run at the next server start, with one issue per deal', async () => {
    const deals = Array.from({ length: 25 }, () => seedDeal({ kommo }));
    // Kommo hangs on reading a deal: the CLI is killed with its first batch inside the Won job.
    const hang = kommo.inject({ method: 'GET', path: /^\/api\/v4\/leads\/\d+$/, kind: 'timeout', times: Infinity });
    const seen = kommo.requests.length;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'backfill', '--since', today()], { cwd: ROOT, env, stdio: 'ignore' });
    const exited = new Promise((done) => child.once('exit', done));
    await waitFor('a Won job reading a deal', () => kommo.requests.slice(seen).some((r) => r.method === 'GET' && /^\/api\/v4\/leads\/\d+$/.test(r.path)), 60_000);
    child.kill('SIGKILL');
    await exited;
    hang.cancel();

    const server = await startChildServer(env);
    try {
      await waitFor('an issue for every deal', () => deals.every((lead) => issuesOf({ linear }, lead.id).length > 0), 90_000);
      await waitUntilIdle(pendingJobsAt(server.url), linear);
    } finally {
      await server.kill('SIGTERM');
    }
    for (const lead of deals) expect(issuesOf({ linear }, lead.id)).toHaveLength(1);
    expect((await cli('backfill', 'status')).stdout).toMatch(/25 of 25 done, 0 error\(s\): done/);
  }, 300_000);
});
