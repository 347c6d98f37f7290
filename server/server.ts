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
import { linksRepo } from './db/repos/links';
import type { WidgetJob } from './sync/widget-links';
import { KOMMO_DEAL_WON, kommoDealWonJob, wonJobKey, type WonJob } from './jobs/kommo-deal-won';
import { createQueue, type Queue } from './jobs/queue';
import type { Logger } from './log';
import { createMetrics } from './ops/metrics';
import { seedSingleAccount } from './setup/single-account';
import { WON_LINK_KEY } from './sync/on-deal-won';
import { createTenants } from './tenants';
import { linearWebhookRoutes } from './http/routes/linear-webhook';
import { linearDeliveriesRepo } from './db/repos/linear-deliveries';
import { LINEAR_ISSUE_CHANGED, linearIssueChangedJob, type IssueChangedJob } from './jobs/linear-issue-changed';
import { reconcileJob, schedulePeriodic, wonPollJob } from './jobs/periodic';
import { createMarketplace, createTokenProviders } from './setup/marketplace';
import { learnIdentity, registerInstallationWebhooks } from './setup/identity';
import { createWidgetRoutes } from './setup/widget-routes';
import { createOAuthGrantsRepo } from './db/repos/oauth-grants';

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
  const cache = createCacheStore(db);
  const tenantFor = createTenants({ config, db, cache, metrics, tokensFor: createTokenProviders(config, db, installations) });
  queue.register(kommoDealWonJob({ db, installations, tenantFor, metrics, log, leaseSeconds: expireInSeconds }));
  const jobDeps = { db, installations, tenantFor, log, leaseSeconds: expireInSeconds };
  queue.register(linearIssueChangedJob(jobDeps));
  queue.register(reconcileJob(jobDeps));
  queue.register(wonPollJob(jobDeps, (installationId, leadId) => enqueueWon(installationId, leadId, new Date())));
  // What the webhook intake reads on every delivery; settings and credential changes clear it.
  const intakeInstallations = createInstallationCache(db, installations);
  const marketplace = createMarketplace({
    config,
    db,
    installations,
    grants: createOAuthGrantsRepo(box),
    queue,
    log,
    afterInstall: (inst) => registerInstallationWebhooks(identity, inst),
    onDisabled: () => {
      widget.widgetInstallations.invalidate();
      intakeInstallations.invalidate();
    },
  });
  if (marketplace) queue.register(marketplace.job);
  await queue.start();
  const periodic = schedulePeriodic(jobDeps, queue, {
    reconcileSeconds: config.reconcileIntervalSeconds,
    wonPollSeconds: config.wonPollIntervalSeconds,
  });

  const enqueueWon = async (installationId: string, leadId: number, requestedAt: Date) => {
    const job: WonJob = { installationId, leadId, origin: 'won', linkKey: WON_LINK_KEY, requestedAt: requestedAt.toISOString() };
    await queue.send(KOMMO_DEAL_WON, job, { key: wonJobKey(installationId, leadId) });
  };
  // The widget's Create and Retry queue the same job, for one link key of the deal.
  const enqueueWidgetJob = async ({ installationId, leadId, linkKey, requestedAt }: WidgetJob) => {
    const job: WonJob = { installationId, leadId, origin: 'widget', linkKey, requestedAt: requestedAt.toISOString() };
    await queue.send(KOMMO_DEAL_WON, job, { key: wonJobKey(installationId, leadId, linkKey) });
  };

  const identity = { config, db, installations, tenantFor, log };
  const widget = createWidgetRoutes({
    config,
    db,
    installations,
    cache,
    tenantFor,
    enqueue: enqueueWidgetJob,
    onInstallationChanged: () => intakeInstallations.invalidate(),
    log,
    onLinearConnected: (id: string) =>
      void installations.findById(db, id).then((inst) => (inst && !inst.linearWebhookSecret ? registerInstallationWebhooks(identity, inst) : undefined)),
  });
  const app = createApp(log, [
    // The hottest route first: Kommo posts a webhook for every stage change of every deal.
    kommoWebhookRoutes({ installations: intakeInstallations, enqueueWon, metrics }),
    ...(marketplace ? [marketplace.routes] : []),
    healthRoutes({
      metrics,
      ready: async () => {
        await db.raw('select 1');
        const done = await migrationsComplete(db);
        return { ok: done, detail: done ? `${database.kind} ok` : 'migrations pending' };
      },
    }),
    linearWebhookRoutes({
      metrics,
      findInstallation: (id, options) => intakeInstallations.forLinear(id, options),
      isLinked: (installationId, issueId) => linksRepo.hasIssue(db, installationId, issueId),
      recordDelivery: (installationId, deliveryId) => linearDeliveriesRepo.record(db, installationId, deliveryId),
      forgetDelivery: (installationId, deliveryId) => linearDeliveriesRepo.forget(db, installationId, deliveryId),
      enqueue: async (installationId, delivery, deliveryId) => {
        const job: IssueChangedJob = { installationId, action: delivery.action, actorId: delivery.actorId, issue: delivery.issue };
        await queue.send(LINEAR_ISSUE_CHANGED, job, { key: `linear:${installationId}:${deliveryId}` });
      },
    }),
    ...widget.routers,
  ]);

  let installation: Installation | undefined;
  if (config.singleAccount) {
    installation = await seedSingleAccount(db, installations, config.singleAccount, log);
    const seeded = installation;
    void learnIdentity(identity, seeded).then(() => (config.registerWebhooks ? registerInstallationWebhooks(identity, seeded) : undefined));
  }

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}`;

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
      periodic.stop();
      await queue.stop();
      if (!options.database) await database.close();
    },
  };
}
