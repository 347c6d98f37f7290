/** The support CLI against a real database and the fakes, as a separate process. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { DEFAULT_API_KEY, startFakeLinear, type FakeLinear } from '../fakes/linear';
import { startChildServer } from '../helpers/child-server';
import { waitFor } from '../helpers/wait-for';

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
      // A developer's ./.env must not reach these processes.
      ENV_FILE: '/dev/null',
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

  const cliWith = (withEnv: Record<string, string>, ...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, env: withEnv, timeout: 60_000 });
  const cli = (...args: string[]) => cliWith(env, ...args);
  /** The exit code and stderr of a command expected to fail. */
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => {
        throw new Error('the command succeeded');
      },
      (e: unknown) => e as { code: number; stdout: string; stderr: string },
    );
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  };

  it('lists Linear teams and states, checks Kommo and reports health', async () => {
    // The installation is created by the server's first start; the CLI reads the same data folder.
    const server = await startChildServer(env);
    // The start log names its next steps after "is listening": here PUBLIC_URL, the widget keys and the Kommo webhook's events.
    await waitFor('the next steps in the start log', () => server.output.some((line) => line.includes('also on the page at /')));
    const steps = server.output.filter((line) => line.includes('next step')).join('\n');
    expect(steps).toMatch(/KOMMO_CLIENT_ID and KOMMO_CLIENT_SECRET/);
    expect(steps).toMatch(/status_lead.*add_lead/);
    expect(steps).not.toContain(env.KOMMO_WEBHOOK_SECRET);
    await server.kill('SIGTERM');
    expect((await cli('linear:teams')).stdout).toMatch(/^ENG\s+Engineering/m);
    expect((await cli('linear:states', 'ENG')).stdout).toMatch(/^backlog\s+Backlog/m);
    expect((await cli('kommo:check')).stdout).toMatch(/Kommo account .*acme.*id 29999999/);
    expect((await cli('health')).stdout).toMatch(/links: none/);
    expect((await cli('replay-failed')).stdout).toMatch(/queued 0 failed deal/);
  }, 180_000);

  it('says "unknown command: X" before the usage and exits with 2', async () => {
    for (const name of ['no-such-command', 'toString']) {
      const { code, stdout, stderr } = await failure(cli(name));
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`^unknown command: ${name}\n\nUsage: npm run cli -- <command>`));
      expect(stderr).toMatch(/^ {2}health\s+links by status/m);
    }
    expect((await cli('--help')).stdout).toMatch(/^Usage: /);
  }, 60_000);

  it('with no installation names what to set, and creates no data folder', async () => {
    const absent = join(dataDir, 'absent');
    const bare = { PATH: env.PATH ?? '', HOME: env.HOME ?? '', ENV_FILE: '/dev/null', DATA_DIR: absent };
    for (const command of ['health', 'linear:teams']) {
      const { code, stderr } = await failure(cliWith(bare, command));
      expect(code).toBe(1);
      expect(stderr).toContain(`No installation in ${absent} (DATA_DIR; no database there)`);
      expect(stderr).toMatch(/set KOMMO_BASE_URL, KOMMO_ACCESS_TOKEN, KOMMO_WEBHOOK_SECRET and LINEAR_API_KEY/);
      expect(stderr).toMatch(/KOMMO_CLIENT_ID and KOMMO_CLIENT_SECRET/);
    }
    // Single-account variables set, but the server never started on this folder.
    const configured = await failure(cliWith({ ...env, DATA_DIR: absent }, 'health'));
    expect(configured.stderr).toMatch(/single-account mode is configured.*\n.*Start the server once \(npm start\)/);
    expect(existsSync(absent)).toBe(false);
  }, 60_000);

  it('reads .env (ENV_FILE) like the server, and the real environment wins over it', async () => {
    const fromFile = join(dataDir, 'from-file');
    const file = join(dataDir, 'cli.env');
    writeFileSync(file, `# the support CLI's own .env\nDATA_DIR=${fromFile}\n`);
    const bare = { PATH: env.PATH ?? '', HOME: env.HOME ?? '', ENV_FILE: file };
    expect((await failure(cliWith(bare, 'health'))).stderr).toContain(`No installation in ${fromFile} `);
    const real = join(dataDir, 'from-environment');
    expect((await failure(cliWith({ ...bare, DATA_DIR: real }, 'health'))).stderr).toContain(`No installation in ${real} `);
    writeFileSync(file, 'DATA_DIR=/tmp/x\nlin_api_pasted\nLINEAR_API_KEY=lin_api_x\n');
    const malformed = await failure(cliWith(bare, 'health'));
    expect(malformed.stderr).toContain(`${file} line 2: expected NAME=value`);
    expect(malformed.stderr).not.toContain('pasted');
  }, 60_000);
});
