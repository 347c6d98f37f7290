/** The support CLI against a real database and the fakes, as a separate process. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { DEFAULT_API_KEY, startFakeLinear, type FakeLinear } from '../fakes/linear';
import { startChildServer } from '../helpers/child-server';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

describe('npm run cli', () => {
  let kommo: FakeKommo;
  let linear: FakeLinear;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    [kommo, linear] = await Promise.all([startFakeKommo(), startFakeLinear()]);
    dataDir = mkdtempSync(join(tmpdir(), 'lfk-cli-'));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dataDir,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LINEAR_API_URL: linear.url,
      KOMMO_BASE_URL: kommo.baseUrl,
      KOMMO_ACCESS_TOKEN: kommo.accessToken,
      KOMMO_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
      LINEAR_API_KEY: DEFAULT_API_KEY,
    };
  });
  afterAll(async () => {
    await Promise.all([kommo.close(), linear.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, env, timeout: 60_000 });

  it('lists Linear teams and states, checks Kommo and reports health', async () => {
    // The installation is created by the server's first start; the CLI reads the same data folder.
    const server = await startChildServer(env);
    await server.kill('SIGTERM');
    expect((await cli('linear:teams')).stdout).toMatch(/^ENG\s+Engineering/m);
    expect((await cli('linear:states', 'ENG')).stdout).toMatch(/^backlog\s+Backlog/m);
    expect((await cli('kommo:check')).stdout).toMatch(/Kommo account .*acme.*id 29999999/);
    expect((await cli('health')).stdout).toMatch(/links: none/);
    expect((await cli('replay-failed')).stdout).toMatch(/queued 0 failed deal/);
    await expect(cli('no-such-command')).rejects.toMatchObject({ code: 2 });
  }, 120_000);
});
