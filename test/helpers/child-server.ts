/**
 * The real server as a separate process, compiled as `npm start` runs it (dist/server/main.js,
 * built first when out of date), for tests that must kill it hard (SIGKILL) and start it again
 * on the same database.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
let built: Promise<unknown> | undefined;

/**
 * `npm run build` once per test file or bench run; quick when dist/ is up to date (jest's global
 * setup, test/helpers/build-once.js, has built it before any test).
 */
export function ensureBuilt(): Promise<unknown> {
  built ??= promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
  return built;
}

export interface ChildServer {
  url: string;
  process: ChildProcess;
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startChildServer(env: Record<string, string>, timeoutMs = 30_000): Promise<ChildServer> {
  // ENV_FILE=/dev/null: a developer's ./.env (DATABASE_URL…) must never reach a test's server.
  await ensureBuilt();
  // `node dist/server/main.js` itself (not through npm), so SIGKILL hits the server.
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ENV_FILE: '/dev/null', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output.join('\n')}`)), timeoutMs);
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        output.push(line);
        const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(line);
        if (match?.[1] && line.includes('is listening')) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      }
    };
    child.stdout?.on('data', onLine);
    child.stderr?.on('data', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.join('\n')}`));
    });
  });
  return {
    url,
    process: child,
    output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}
