/**
 * A whole running system for integration tests: the real server (HTTP app, queue, database)
 * configured in single-account mode against the loopback Kommo and Linear fakes.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/log';
import { startServer, type RunningServer } from '../../server/server';
import { startFakeKommo, type FakeKommo } from '../fakes/kommo';
import { DEFAULT_API_KEY, startFakeLinear, type FakeLinear } from '../fakes/linear';
import { kommoStatusWebhook } from '../fixtures/kommo-webhook';
import { createTestDatabase, type TestDatabase } from './test-db';

export interface Stack {
  server: RunningServer;
  kommo: FakeKommo;
  linear: FakeLinear;
  db: TestDatabase;
  config: Config;
  secret: string;
  /** Every log line the server wrote, for assertions about logging and secrets. */
  logs: string[];
  webhookUrl(secret?: string): string;
  postKommo(body: string, init?: { secret?: string; contentType?: string }): Promise<Response>;
  /** Sends the Kommo status webhook for the lead as it is now in the fake. */
  sendWon(leadId: number): Promise<Response>;
  /** Stops the server (as a crash would, without finishing jobs) and starts a fresh one on the same database. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  settings?: object;
  env?: Record<string, string>;
  jobTimeoutSeconds?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const [kommo, linear, db] = await Promise.all([startFakeKommo(), startFakeLinear(), createTestDatabase()]);
  const secret = randomBytes(18).toString('base64url');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LINEAR_API_URL: linear.url,
    HTTP_TIMEOUT_MS: '2000',
    JOB_RETRY_LIMIT: '6',
    JOB_TIMEOUT_SECONDS: String(options.jobTimeoutSeconds ?? 5),
    LOG_LEVEL: 'info',
    KOMMO_BASE_URL: kommo.baseUrl,
    KOMMO_ACCESS_TOKEN: kommo.accessToken,
    KOMMO_WEBHOOK_SECRET: secret,
    LINEAR_API_KEY: DEFAULT_API_KEY,
    LINEAR_TEAM: 'ENG',
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    ...(options.settings ? { SETTINGS_JSON: JSON.stringify(options.settings) } : {}),
    ...options.env,
  });
  const log = createLogger(config.logLevel, sink);
  const start = () => startServer(config, { log, database: db });
  let server = await start();

  const stack: Stack = {
    get server() {
      return server;
    },
    kommo,
    linear,
    db,
    config,
    secret,
    logs,
    webhookUrl: (s = secret) => `${server.url}/webhooks/kommo/${encodeURIComponent(s)}`,
    postKommo: (body, init = {}) =>
      fetch(stack.webhookUrl(init.secret), {
        method: 'POST',
        headers: { 'content-type': init.contentType ?? 'application/x-www-form-urlencoded' },
        body,
      }),
    sendWon(leadId) {
      const lead = kommo.lead(leadId);
      if (!lead) throw new Error(`no lead ${leadId} in the fake`);
      const body = kommoStatusWebhook({
        accountId: kommo.account.accountId,
        subdomain: kommo.account.subdomain,
        leads: [{ id: lead.id, statusId: lead.statusId, pipelineId: lead.pipelineId, oldStatusId: kommo.defaults.openStatusIds[0] ?? 1 }],
      });
      return stack.postKommo(body);
    },
    async restart() {
      await server.close();
      server = await start();
    },
    async close() {
      await server.close();
      await Promise.all([kommo.close(), linear.close()]);
      await db.drop();
    },
  };
  return stack;
}
