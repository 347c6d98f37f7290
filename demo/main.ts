/**
 * `npm run demo`: the whole product on one machine, nothing leaves 127.0.0.1.
 *
 *   fake Kommo (test/fakes/kommo) ──API──▶ Kommo-like host (test/kommo-host) ◀── your browser
 *   fake Linear (test/fakes/linear)        board · deal card with the built widget · simulated Linear
 *   the real server (server/startServer), embedded PGlite in ./data/demo
 *
 * Options: --reset (wipe ./data/demo first), --port <n> (default 4400; 0 = any free port),
 * --data-dir <dir>. Ctrl-C stops everything.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../server/config';
import { loadEnvFile } from '../server/env-file';
import { createLogger } from '../server/log';
import { startServer, type RunningServer } from '../server/server';
import { startFakeKommo, type FakeKommo } from '../test/fakes/kommo';
import { DEFAULT_API_KEY, startFakeLinear, type FakeLinear } from '../test/fakes/linear';
import { signKommoToken } from '../test/helpers/kommo-token';
import { startKommoHost, type KommoHost } from '../test/kommo-host';
import { demoRoutes, LINK_REWRITE_SCRIPT, NAV, type DemoContext } from './pages';
import { demoSettings, seedDemo } from './seed';

const ROOT = resolve(__dirname, '..');
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface Args {
  reset: boolean;
  port: number;
  dataDir: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { reset: false, port: Number(process.env.DEMO_PORT ?? 4400), dataDir: join(ROOT, 'data', 'demo') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--reset') args.reset = true;
    else if (arg === '--port') args.port = Number(argv[++i]);
    else if (arg === '--data-dir') args.dataDir = resolve(argv[++i] ?? '');
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('npm run demo -- [--reset] [--port 4400] [--data-dir ./data/demo]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (try --help)`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error('--port must be 0…65535');
  return args;
}

/** The demo must never talk to a real Kommo or Linear: every URL it uses is checked. */
function assertLoopback(url: string, what: string): string {
  const { hostname } = new URL(url);
  if (!LOOPBACK_HOSTS.has(hostname)) throw new Error(`refusing to start: ${what} (${url}) is not a loopback address`);
  return url;
}

function ensureWidgetBuilt(): string {
  const dir = join(ROOT, 'dist', 'widget');
  if (existsSync(join(dir, 'script.js'))) return dir;
  process.stdout.write('Building the widget (npm run build:widget)…\n');
  const built = spawnSync('npm', ['run', '--silent', 'build:widget'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0 || !existsSync(join(dir, 'script.js'))) throw new Error('the widget build failed: run `npm run build:widget` to see why');
  return dir;
}

async function main(): Promise<void> {
  // For the demo's own variables (DEMO_PORT, LINEAR_SCHEMA_PATH): the server below gets its own env, never process.env.
  loadEnvFile();
  const args = parseArgs(process.argv.slice(2));
  const widgetDir = ensureWidgetBuilt();
  if (args.reset) rmSync(args.dataDir, { recursive: true, force: true });
  const kept = existsSync(join(args.dataDir, 'pglite'));
  mkdirSync(args.dataDir, { recursive: true });

  const stoppers: Array<() => Promise<void>> = [];
  let kommo: FakeKommo | undefined;
  let linear: FakeLinear | undefined;
  let running: RunningServer | undefined;
  let host: KommoHost | undefined;
  const stop = async () => {
    for (const close of stoppers.reverse()) await close().catch(() => undefined);
  };

  try {
    [kommo, linear] = await Promise.all([startFakeKommo({ subdomain: 'northwind', currency: 'USD' }), startFakeLinear({ orgUrlKey: 'northwind' })]);
    const k = kommo;
    const l = linear;
    stoppers.push(() => k.close(), () => l.close());
    assertLoopback(k.baseUrl, 'the fake Kommo');
    assertLoopback(l.url, 'the fake Linear');
    const seed = seedDemo(k, l);

    const client = { id: randomBytes(16).toString('hex'), secret: randomBytes(32).toString('base64url') };
    const webhookSecret = randomBytes(18).toString('base64url');
    const linearWebhookSecret = randomBytes(24).toString('hex');
    const staticFiles = {
      'demo.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(__dirname, 'public', 'demo.js'), 'utf8') },
      'demo.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(__dirname, 'public', 'demo.css'), 'utf8') },
    };
    const context: DemoContext = {
      kommo: k,
      linear: l,
      get db() {
        if (!running) throw new Error('the server is not running');
        return running.database.db;
      },
      kommoWebhookUrl: () => `${running?.url ?? ''}/webhooks/kommo/${encodeURIComponent(webhookSecret)}`,
      linearActorId: seed.linearActorId,
    };
    let audience = '';
    host = await startKommoHost({
      port: args.port,
      widgetDir,
      backendUrl: () => running?.url ?? '',
      kommoApi: { url: k.baseUrl, accessToken: k.accessToken },
      account: { id: k.account.accountId, subdomain: k.account.subdomain },
      user: { id: k.defaults.userId, name: 'Alice Manager', email: 'alice@example.com' },
      isAdmin: true,
      signToken: ({ user, isAdmin, origin }) =>
        signKommoToken({
          secret: client.secret,
          claims: { iss: origin, aud: audience, account_id: k.account.accountId, subdomain: k.account.subdomain, user_id: user.id, is_admin: isAdmin, client_uuid: client.id },
        }),
      routes: demoRoutes(context, staticFiles),
      nav: NAV,
      headHtml: LINK_REWRITE_SCRIPT,
    }).catch((error: unknown) => {
      const code = (error as { code?: string }).code;
      throw new Error(code === 'EADDRINUSE' ? `port ${args.port} is in use: try npm run demo -- --port 0` : String(error));
    });
    const h = host;
    stoppers.push(() => h.close());
    assertLoopback(h.url, 'the Kommo host');

    // The real server, exactly as `npm start` runs it, configured by env values we control
    // (process.env is not read, so a real KOMMO_BASE_URL or LINEAR_API_URL there cannot leak in).
    const env: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: args.dataDir,
      LOG_LEVEL: 'info',
      LINEAR_API_URL: l.url,
      KOMMO_BASE_URL: h.url,
      KOMMO_ACCESS_TOKEN: k.accessToken,
      KOMMO_WEBHOOK_SECRET: webhookSecret,
      KOMMO_CLIENT_ID: client.id,
      KOMMO_CLIENT_SECRET: client.secret,
      LINEAR_API_KEY: DEFAULT_API_KEY,
      LINEAR_TEAM: 'ENG',
      LINEAR_WEBHOOK_SECRET: linearWebhookSecret,
      REGISTER_WEBHOOKS: 'false',
      RECONCILE_INTERVAL_SECONDS: '0',
      WON_POLL_INTERVAL_SECONDS: '0',
      SETTINGS_JSON: JSON.stringify(demoSettings(seed)),
    };
    for (const key of ['LINEAR_API_URL', 'KOMMO_BASE_URL'] as const) assertLoopback(env[key] ?? '', key);
    const config = loadConfig(env);
    audience = new URL(config.publicUrl).origin;
    const logFile = join(args.dataDir, 'server.log');
    const logStream = createWriteStream(logFile, { flags: 'a' });
    stoppers.push(() => new Promise<void>((done) => logStream.end(() => done())));
    running = await startServer(config, { log: createLogger(config.logLevel, logStream) });
    const r = running;
    stoppers.push(() => r.close());
    assertLoopback(r.url, 'the server');
    l.webhookTarget({ url: `${r.url}/webhooks/linear`, secret: linearWebhookSecret });

    process.stdout.write(
      [
        '',
        'Linear for Kommo demo: fake Kommo and Linear, the real server and widget, all on 127.0.0.1.',
        kept ? `(Database kept from the last run in ${args.dataDir}; the fakes start fresh: use --reset for a clean demo.)` : '',
        `Server log: ${logFile}`,
        '',
        `Open ${h.url}/`,
        '',
        'Ctrl-C stops everything.',
        '',
      ]
        .filter((line, i, all) => line !== '' || all[i - 1] !== '')
        .join('\n'),
    );
  } catch (error) {
    await stop();
    throw error;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the demo…\n`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
