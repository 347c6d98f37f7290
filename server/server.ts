/**
 * Composition root: each step builds one part from the parts before it, in dependency order
 * (database → stores → clients → queue and jobs → routes → listener). No behaviour lives here.
 * Returns a handle that tests and main.ts use to stop everything in order.
 */
import type { Server } from 'node:http';
import type { Config } from './config';
import { createSecretBox, loadOrCreateKeyFile } from './crypto/secret-box';
import { createCacheStore } from './db/cache-store';
import { createDatabase, type Database } from './db/create-db';
import { createInstallationStore } from './db/installation-store';
import { migrateToLatest } from './db/migrate';
import { createInstallationsRepo } from './db/repos/installations';
import { createOAuthGrantsRepo } from './db/repos/oauth-grants';
import type { Installation } from './domain/installation';
import { createApp, routeTable } from './http/app';
import { listen } from './http/listen';
import { kommoDealWonJob } from './jobs/kommo-deal-won';
import { enqueueCustomerSync, linearCustomerJob } from './jobs/linear-customer';
import { linearIssueChangedJob } from './jobs/linear-issue-changed';
import { linearCommentJob } from './jobs/linear-comment';
import { kommoNoteJob } from './jobs/kommo-note';
import { kommoAccessCheckJob } from './jobs/kommo-access-check';
import { kommoBackfillJob, resumeBackfills } from './jobs/kommo-backfill';
import { reconcileJob, schedulePeriodic, wonPollJob } from './jobs/periodic';
import { createQueue, type Queue } from './jobs/queue';
import type { Logger } from './log';
import { createMetrics } from './ops/metrics';
import { identifySingleAccount, registerInstallationWebhooks, registerLinearWebhookIfMissing } from './setup/identity';
import type { SetupStatus } from './http/setup-page';
import { createMarketplace, createTokenProviders } from './setup/marketplace';
import { createLinearTokenSources } from './setup/linear-tokens';
import { createSetupStatus } from './setup/next-steps';
import { createRoutes, healthRouter, widgetGate } from './setup/routes';
import { createLinearConnectRoutes } from './setup/linear-connect';
import { seedSingleAccount } from './setup/single-account';
import { keepReferenceDataWarm } from './setup/warm-reference-data';
import { rateSlotsFor } from './rate-slots';
import { createTenants } from './tenants';

export interface RunningServer {
  url: string;
  /** Where /healthz and /readyz answer: HEALTH_PORT's listener when set, else `url`. */
  healthUrl: string;
  database: Database;
  queue: Queue;
  installation: Installation | undefined;
  /** What is left to set up: the page at `/` and the start log show it. */
  status(): Promise<SetupStatus>;
  /** Every route the app answers, for tests that walk them. */
  routes: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  /** A database made by the caller (tests); default: from config. */
  database?: Database;
}

/** Enough for every probe and scraper of one instance. */
const HEALTH_MAX_CONNECTIONS = 64;

function portOf(server: Server, fallback: number): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : fallback;
}

function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { log } = options;
  const database = options.database ?? createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const db = database.db;
  await migrateToLatest(db);
  const box = createSecretBox(config.encryptionKey ?? loadOrCreateKeyFile(config.dataDir));
  const installations = createInstallationStore(db, createInstallationsRepo(box));
  const leaseSeconds = config.jobTimeoutSeconds;
  const queue = createQueue({
    kind: database.kind,
    db,
    databaseUrl: config.databaseUrl,
    log,
    concurrency: config.jobConcurrency,
    retryLimit: config.jobRetryLimit,
    expireInSeconds: leaseSeconds,
  });
  const metrics = createMetrics(() => queue.counts());
  const tenantFor = createTenants({
    config,
    rateSlots: rateSlotsFor(database),
    cache: createCacheStore(db),
    metrics,
    credentials: (id) => installations.credentials(id),
    tokensFor: createTokenProviders(config, installations),
    linearTokensFor: createLinearTokenSources(config, installations),
  });
  const identity = { config, installations, tenantFor, log };
  const warmer = keepReferenceDataWarm({ installations, tenantFor, log });

  const jobDeps = { db, installations, tenantFor, log, leaseSeconds };
  queue.register(kommoDealWonJob({ ...jobDeps, metrics, enqueueCustomer: (installationId, leadId) => enqueueCustomerSync(queue, installationId, leadId, 'linked') }));
  queue.register(linearCustomerJob(jobDeps));
  queue.register(linearIssueChangedJob(jobDeps));
  queue.register(linearCommentJob(jobDeps));
  queue.register(kommoNoteJob(jobDeps));
  queue.register(reconcileJob(jobDeps));
  queue.register(wonPollJob(jobDeps, queue));
  queue.register(kommoAccessCheckJob(jobDeps, queue));
  queue.register(kommoBackfillJob(jobDeps, queue));
  const grants = createOAuthGrantsRepo(box);
  const afterInstall = async (inst: Installation) => {
    await registerInstallationWebhooks(identity, inst);
    await warmer.warm(inst.id);
  };
  const marketplace = createMarketplace({ config, db, installations, grants, queue, log, afterInstall });
  if (marketplace) queue.register(marketplace.job);
  await queue.start();
  // A backfill whose process stopped (or crashed) mid-run goes on where its cursor and items say.
  await resumeBackfills(jobDeps, queue);
  const periodic = schedulePeriodic(jobDeps, queue, {
    reconcileSeconds: config.reconcileIntervalSeconds,
    wonPollSeconds: config.wonPollIntervalSeconds,
    kommoAccessCheckSeconds: config.kommoAccessCheckIntervalSeconds,
  });

  const onLinearConnected = (id: string) => void registerLinearWebhookIfMissing(identity, id).then(() => warmer.warm(id));
  const status = createSetupStatus({ config, database: database.kind, installations });
  const linearConnect = createLinearConnectRoutes({
    config, db, installations, queue, tenantFor, metrics, log,
    gate: widgetGate({ config, installations }),
    onConnected: (id) => void warmer.warm(id),
  });
  const routes = [...createRoutes({ config, database, installations, queue, tenantFor, metrics, onLinearConnected, status, log }, marketplace?.routes), ...linearConnect];
  const app = createApp(log, routes, { bodyTimeoutMs: config.http.bodyTimeoutMs });

  const installation = config.singleAccount ? await seedSingleAccount(db, installations, config.singleAccount, log) : undefined;
  // In the background: the server answers webhooks (by URL secret) while the identity is learned.
  if (installation) void identifySingleAccount(identity, installation);
  // Also in the background, so that the first won deal finds the lists it reads in the cache.
  warmer.start();

  const server: Server = await listen(app.callback(), config.port, config.host, config.http);
  const port = portOf(server, config.port);
  // Its own connections: the main listener's cap and backlog cannot keep probes out.
  const healthApp = config.healthPort === undefined ? undefined : createApp(log, [healthRouter({ metrics, database, config })], { bodyTimeoutMs: config.http.bodyTimeoutMs });
  const healthServer = healthApp && (await listen(healthApp.callback(), config.healthPort ?? 0, config.host, { ...config.http, maxConnections: HEALTH_MAX_CONNECTIONS }));

  return {
    url: `http://127.0.0.1:${port}`,
    healthUrl: `http://127.0.0.1:${healthServer ? portOf(healthServer, 0) : port}`,
    database,
    queue,
    installation,
    status,
    routes: routeTable(routes),
    async close() {
      await Promise.all([server, ...(healthServer ? [healthServer] : [])].map(stopListening));
      periodic.stop();
      await warmer.stop();
      await queue.stop();
      if (!options.database) await database.close();
    },
  };
}
