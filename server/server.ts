/**
 * Composition root: config → database → queue → clients → HTTP. Returns a handle that tests and
 * main.ts use to stop everything in order.
 */
import type { Server } from 'node:http';
import type { Config } from './config';
import { createSecretBox, loadOrCreateKeyFile } from './crypto/secret-box';
import { createCacheStore } from './db/cache-store';
import { createDatabase, type Database } from './db/create-db';
import { createInstallationCache } from './db/installation-cache';
import { migrateToLatest, migrationsComplete } from './db/migrate';
import { createInstallationsRepo, type Installation } from './db/repos/installations';
import { createApp } from './http/app';
import { healthRoutes } from './http/routes/health';
import { kommoWebhookRoutes } from './http/routes/kommo-webhook';
import { KOMMO_DEAL_WON, kommoDealWonJob, wonJobKey, type WonJob } from './jobs/kommo-deal-won';
import { createQueue, type Queue } from './jobs/queue';
import type { Logger } from './log';
import { createMetrics } from './ops/metrics';
import { seedSingleAccount } from './setup/single-account';
import { WON_LINK_KEY } from './sync/on-deal-won';
import { createTenants } from './tenants';

export interface RunningServer {
  url: string;
  database: Database;
  queue: Queue;
  installation: Installation | undefined;
  close(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  /** A database made by the caller (tests); default: from config. */
  database?: Database;
}

export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { log } = options;
  const database = options.database ?? createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const db = database.db;
  await migrateToLatest(db);
  const box = createSecretBox(config.encryptionKey ?? loadOrCreateKeyFile(config.dataDir));
  const installations = createInstallationsRepo(box);
  const expireInSeconds = config.jobTimeoutSeconds;

  const queue = createQueue({
    kind: database.kind,
    db,
    databaseUrl: config.databaseUrl,
    log,
    concurrency: config.jobConcurrency,
    retryLimit: config.jobRetryLimit,
    expireInSeconds,
  });
  const metrics = createMetrics(() => queue.counts());
  const tenantFor = createTenants({ config, db, cache: createCacheStore(db), metrics });
  queue.register(kommoDealWonJob({ db, installations, tenantFor, metrics, log, leaseSeconds: expireInSeconds }));
  await queue.start();

  const enqueueWon = async (installationId: string, leadId: number, requestedAt: Date) => {
    const job: WonJob = { installationId, leadId, origin: 'won', linkKey: WON_LINK_KEY, requestedAt: requestedAt.toISOString() };
    await queue.send(KOMMO_DEAL_WON, job, { key: wonJobKey(installationId, leadId) });
  };

  const app = createApp(log, [
    healthRoutes({
      metrics,
      ready: async () => {
        await db.raw('select 1');
        const done = await migrationsComplete(db);
        return { ok: done, detail: done ? `${database.kind} ok` : 'migrations pending' };
      },
    }),
    kommoWebhookRoutes({ installations: createInstallationCache(db, installations), enqueueWon, metrics }),
  ]);

  let installation: Installation | undefined;
  if (config.singleAccount) {
    installation = await seedSingleAccount(db, installations, config.singleAccount);
    void learnIdentity(installation);
  }

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}`;

  async function learnIdentity(inst: Installation) {
    const tenant = tenantFor(inst);
    try {
      const account = await tenant.directory.account();
      if (inst.kommoAccountId === null) await installations.setAccount(db, inst.id, account.id, account.subdomain);
      else if (inst.kommoAccountId !== account.id) {
        log.error({ configured: inst.kommoAccountId, actual: account.id }, 'KOMMO_ACCOUNT_ID does not match the account of KOMMO_ACCESS_TOKEN');
      }
    } catch (error) {
      log.warn({ err: error }, 'could not read the Kommo account yet; webhooks are accepted by URL secret meanwhile');
    }
    try {
      const viewer = await tenant.linear.viewer();
      await installations.setLinearViewer(db, inst.id, viewer.viewer.id);
      log.info({ workspace: viewer.organization.name, user: viewer.viewer.name }, 'Linear connected');
    } catch (error) {
      log.warn({ err: error }, 'could not reach Linear with LINEAR_API_KEY yet');
    }
  }

  return {
    url,
    database,
    queue,
    installation,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue.stop();
      if (!options.database) await database.close();
    },
  };
}
