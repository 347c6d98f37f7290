/**
 * 7. Start: `npm start` as a user runs it, timed from spawn to the first `/readyz` 200, on an empty
 * database (first start) and again on the same one (restart); then the server's RSS after 30 s
 * idle. The server runs as a fresh install would (no account configured). Any build `npm start`
 * does is done and timed first, so the start figures are the database's and the server's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/helpers/free-port';
import { createThrowawayPostgres } from '../../test/helpers/test-db';
import { postgresAdminUrl, ROOT, round, rssBytes, sleep, type DbKind } from '../lib';

export interface StartResult {
  db: DbKind;
  /** `npm run build` after a source change: the bundle (not the PGlite template, made once per migration change). */
  buildMs: number;
  /** Second `npm start` without changes: the up-to-date check alone. */
  noBuildMs: number;
  firstStartMs: number;
  restartMs: number[];
  /**
   * CPU time (user + system, every process of `npm start`) spent until /readyz answered 200: the
   * machine's load does not stretch it as it does the wall-clock figures above.
   */
  firstStartCpuMs: number;
  restartCpuMs: number[];
  idleRssMb: number;
  idleSeconds: number;
}

export async function startTimes(kind: DbKind, idleSeconds: number, restarts = 3): Promise<StartResult> {
  // Without its stamp the bundle is rebuilt, as after a change; the database template is kept.
  rmSync(join(ROOT, 'dist', '.build-stamp.json'), { force: true });
  const buildMs = await timed(() => run('npm', ['run', '--silent', 'build']));
  const noBuildMs = await timed(() => run('npm', ['run', '--silent', 'build']));
  const dataDir = mkdtempSync(join(tmpdir(), 'lfk-bench-start-'));
  const pg = kind === 'postgres' ? await createThrowawayPostgres(postgresAdminUrl(), 'lfk_bench') : undefined;
  const env = { DATA_DIR: dataDir, ...(pg ? { DATABASE_URL: pg.url, ENCRYPTION_KEY: randomBytes(32).toString('base64') } : {}) };
  try {
    const first = await startNpm(env);
    await sleep(idleSeconds * 1000);
    const rss = rssBytes(first.serverPid()) ?? NaN;
    await first.stop();
    const restartMs: number[] = [];
    const restartCpuMs: number[] = [];
    for (let i = 0; i < restarts; i++) {
      const again = await startNpm(env);
      restartMs.push(again.readyMs);
      restartCpuMs.push(again.cpuMs);
      await again.stop();
    }
    return { db: kind, buildMs, noBuildMs, firstStartMs: first.readyMs, restartMs, firstStartCpuMs: first.cpuMs, restartCpuMs, idleRssMb: round(rss / 2 ** 20, 0), idleSeconds };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  }
}

interface Started {
  readyMs: number;
  cpuMs: number;
  /** The process that runs the server (npm → sh → node: the deepest one). */
  serverPid(): number;
  stop(): Promise<void>;
}

async function startNpm(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const t0 = performance.now();
  // Its own process group, so stopping it reaches the server under npm and sh.
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ENV_FILE: '/dev/null', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${errors.join('')}`);
    if (performance.now() - t0 > 120_000) throw new Error('npm start: /readyz not 200 within 120 s');
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await sleep(20);
  }
  const readyMs = round(performance.now() - t0, 0);
  const cpuMs = treeCpuMs(pidOf(child));
  return {
    readyMs,
    cpuMs,
    serverPid: () => deepestChild(pidOf(child)),
    async stop() {
      const timer = setTimeout(() => process.kill(-pidOf(child), 'SIGKILL'), 15_000);
      process.kill(-pidOf(child), 'SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('npm start did not spawn');
  return child.pid;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function deepestChild(pid: number): number {
  for (let next = childrenOf(pid)[0]; next; next = childrenOf(pid)[0]) pid = next;
  return pid;
}

/** utime + stime of `pid` and its descendants, from /proc/<pid>/stat (clock ticks of 10 ms on Linux). */
function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks * 10;
}

function descendants(pid: number): number[] {
  return childrenOf(pid).flatMap((c) => [c, ...descendants(c)]);
}


async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return round(performance.now() - t0, 0);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? done() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}
