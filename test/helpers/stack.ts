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
import { signKommoToken, type KommoTokenOptions } from './kommo-token';
import { createTestDatabase, type TestDatabase } from './test-db';
import { waitUntilIdle } from './wait-until-idle';

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
  /** Posts a Digital Pipeline event to `/webhooks/kommo/<secret>/dp` (JSON unless told). */
  postKommoDp(body: string, init?: { secret?: string; contentType?: string }): Promise<Response>;
  /** Sends the Kommo status webhook for the lead as it is now in the fake. */
  sendWon(leadId: number): Promise<Response>;
  /** The integration's id and secret the server was given (KOMMO_CLIENT_ID / KOMMO_CLIENT_SECRET). */
  client: { id: string; secret: string };
  /** The Linear OAuth app's id and secret (LINEAR_CLIENT_ID / LINEAR_CLIENT_SECRET, with `linearOAuth`). */
  linearClient: { id: string; secret: string };
  /** A widget one-time token for the fake account, as Kommo's $authorizedAjax would send it. */
  widgetToken(claims?: Partial<KommoTokenOptions['claims']>, options?: Omit<KommoTokenOptions, 'claims' | 'secret'> & { secret?: string }): string;
  linearWebhookSecret: string;
  /** Resolves once no job waits, retries or runs and the fake Linear's webhooks are answered: for negative checks. */
  idle(): Promise<void>;
  /** Offers a periodic job (reconciliation, Won poll) now instead of waiting for its timer. */
  runJob(name: string, installationId: string): Promise<void>;
  /** Stops the server (as a crash would, without finishing jobs) and starts a fresh one on the same database. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** The installation's settings; a function gets the started fakes (their pipeline and stage ids). */
  settings?: object | ((fakes: { kommo: FakeKommo; linear: FakeLinear }) => object);
  env?: Record<string, string>;
  jobTimeoutSeconds?: number;
  /** Turns "Connect Linear" on: the fake Linear knows the OAuth app, whose webhook goes to /webhooks/linear-app. */
  linearOAuth?: boolean;
  /** Seeds the fakes before the server starts (it loads their lists at start). */
  beforeStart?: (fakes: { kommo: FakeKommo; linear: FakeLinear }) => void;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const [kommo, linear, db] = await Promise.all([startFakeKommo(), startFakeLinear(), createTestDatabase()]);
  const secret = randomBytes(18).toString('base64url');
  const client = { id: randomBytes(16).toString('hex'), secret: randomBytes(32).toString('base64url') };
  const linearWebhookSecret = randomBytes(24).toString('hex');
  const linearClient = { id: randomBytes(16).toString('hex'), secret: randomBytes(32).toString('base64url') };
  const logs: string[] = [];
  const settings = typeof options.settings === 'function' ? options.settings({ kommo, linear }) : options.settings;
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
    LINEAR_WEBHOOK_SECRET: linearWebhookSecret,
    RECONCILE_INTERVAL_SECONDS: '0',
    WON_POLL_INTERVAL_SECONDS: '0',
    KOMMO_ACCESS_CHECK_INTERVAL_SECONDS: '0',
    KOMMO_CLIENT_ID: client.id,
    KOMMO_CLIENT_SECRET: client.secret,
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    ...(options.linearOAuth
      ? { LINEAR_CLIENT_ID: linearClient.id, LINEAR_CLIENT_SECRET: linearClient.secret, LINEAR_OAUTH_AUTHORIZE_URL: `${linear.origin}/oauth/authorize` }
      : {}),
    ...(settings ? { SETTINGS_JSON: JSON.stringify(settings) } : {}),
    ...options.env,
  });
  const log = createLogger(config.logLevel, sink);
  options.beforeStart?.({ kommo, linear });
  const start = () => startServer(config, { log, database: db });
  let server = await start();
  // The fake Linear signs and delivers Issue webhooks to the running server, as Linear would.
  const target = linear.webhookTarget({ url: `${server.url}/webhooks/linear`, secret: linearWebhookSecret });
  const oauthApp = () => ({
    clientId: linearClient.id,
    clientSecret: linearClient.secret,
    redirectUris: [`${config.publicUrl}/oauth/linear/callback`],
    webhookUrl: `${server.url}/webhooks/linear-app`,
    webhookSecret: linearWebhookSecret,
  });
  if (options.linearOAuth) linear.oauth.configure(oauthApp());

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
    postKommoDp: (body, init = {}) =>
      fetch(`${stack.webhookUrl(init.secret)}/dp`, {
        method: 'POST',
        headers: { 'content-type': init.contentType ?? 'application/json' },
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
    client,
    linearClient,
    widgetToken: (claims = {}, options = {}) =>
      signKommoToken({
        ...options,
        secret: options.secret ?? client.secret,
        claims: {
          iss: kommo.baseUrl,
          aud: new URL(config.publicUrl).origin,
          account_id: kommo.account.accountId,
          subdomain: kommo.account.subdomain,
          client_uuid: client.id,
          ...claims,
        },
      }),
    async restart() {
      await server.close();
      server = await start();
      target.url = `${server.url}/webhooks/linear`;
      if (options.linearOAuth) linear.oauth.configure(oauthApp());
    },
    linearWebhookSecret,
    idle: () => waitUntilIdle(() => server.queue.pending(), linear),
    async runJob(name, installationId) {
      await server.queue.send(name, { installationId }, { key: `${name}:${installationId}` });
    },
    async close() {
      await server.close();
      await Promise.all([kommo.close(), linear.close()]);
      await db.drop();
    },
  };
  return stack;
}
