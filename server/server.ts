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
import { widgetApiRoutes } from './http/routes/widget-api';
import { createWidgetInstallations } from './http/middleware/widget-auth';
import { bindDb } from './db/bind';
import { linksRepo } from './db/repos/links';
import { createWidgetLinks, type WidgetJob } from './sync/widget-links';
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
import { registerWebhooks } from './sync/register-webhooks';
import { settingsApiRoutes } from './http/routes/settings-api';
import { createSettingsPage } from './sync/settings-page';
import { settingsChangesRepo } from './db/repos/settings-changes';
import { createLinearApi } from './linear/client';
import { createMarketplace, createTokenProviders } from './setup/marketplace';
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
  const marketplace = createMarketplace({
    config,
    db,
    installations,
    grants: createOAuthGrantsRepo(box),
    queue,
    log,
    afterInstall: (inst) => register(inst),
    onDisabled: () => widgetInstallations.invalidate(),
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

  const widgetInstallations = createWidgetInstallations({
    findByAccountId: (accountId) => installations.findByAccountId(db, accountId),
    listActive: () => installations.listActive(db),
  });
  const app = createApp(log, [
    ...(marketplace ? [marketplace.routes] : []),
    healthRoutes({
      metrics,
      ready: async () => {
        await db.raw('select 1');
        const done = await migrationsComplete(db);
        return { ok: done, detail: done ? `${database.kind} ok` : 'migrations pending' };
      },
    }),
    kommoWebhookRoutes({ installations: createInstallationCache(db, installations), enqueueWon, metrics }),
    linearWebhookRoutes({
      metrics,
      findInstallation: (id) => (id ? installations.findById(db, id) : installations.findSingle(db)),
      isLinked: (installationId, issueId) => linksRepo.hasIssue(db, installationId, issueId),
      recordDelivery: (installationId, deliveryId) => linearDeliveriesRepo.record(db, installationId, deliveryId),
      forgetDelivery: (installationId, deliveryId) => linearDeliveriesRepo.forget(db, installationId, deliveryId),
      enqueue: async (installationId, delivery, deliveryId) => {
        const job: IssueChangedJob = { installationId, action: delivery.action, actorId: delivery.actorId, issue: delivery.issue };
        await queue.send(LINEAR_ISSUE_CHANGED, job, { key: `linear:${installationId}:${deliveryId}` });
      },
    }),
    widgetApiRoutes({
      publicUrl: config.publicUrl,
      installations: widgetInstallations,
      linksFor: (inst) =>
        createWidgetLinks({ installation: inst, links: bindDb(linksRepo, db), ...tenantFor(inst), enqueue: enqueueWidgetJob, log }),
    }),
    settingsApiRoutes({
      publicUrl: config.publicUrl,
      installations: widgetInstallations,
      pageFor: (inst) =>
        createSettingsPage({
          installation: inst,
          ...tenantFor(inst),
          publicUrl: config.publicUrl,
          recentChanges: () => settingsChangesRepo.recent(db, inst.id),
          refreshLists: async () => {
            await cache.invalidatePrefix(inst.id, 'linear:');
            await cache.invalidatePrefix(inst.id, 'kommo:users');
            await cache.invalidatePrefix(inst.id, 'kommo:lead-fields');
            await cache.invalidatePrefix(inst.id, 'kommo:pipelines');
          },
          linearFor: (apiKey) => createLinearApi({ apiUrl: config.linearApiUrl, apiKey, timeoutMs: config.httpTimeoutMs }),
          saveSettings: async (settings, change) => {
            await db.transaction(async (trx) => {
              await installations.updateSettings(trx, inst.id, settings);
              await settingsChangesRepo.add(trx, inst.id, { ...change, after: settings });
            });
            widgetInstallations.invalidate();
          },
          saveLinearKey: async (apiKey, viewerId) => {
            await installations.setLinearApiKey(db, inst.id, apiKey, viewerId);
            widgetInstallations.invalidate();
          },
          forgetLinearCaches: () => cache.invalidatePrefix(inst.id, 'linear:'),
        }),
    }),
  ]);

  let installation: Installation | undefined;
  if (config.singleAccount) {
    installation = await seedSingleAccount(db, installations, config.singleAccount, log);
    const seeded = installation;
    void learnIdentity(seeded).then(() => (config.registerWebhooks ? register(seeded) : undefined));
  }

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}`;

  async function register(inst: Installation) {
    const single = config.singleAccount;
    await registerWebhooks({
      installation: inst,
      ...tenantFor(inst),
      log,
      kommoWebhookUrl: `${config.publicUrl}/webhooks/kommo/${inst.kommoWebhookSecret ?? single?.kommoWebhookSecret ?? ''}`,
      linearWebhookUrl: inst.mode === 'single' ? `${config.publicUrl}/webhooks/linear` : `${config.publicUrl}/webhooks/linear/${inst.id}`,
      saveKommoStatus: (status) => installations.setKommoWebhookStatus(db, inst.id, status),
      saveLinearWebhook: (webhookId, secret) => installations.setLinearWebhook(db, inst.id, webhookId, secret),
    }).catch((error: unknown) => log.warn({ err: error }, 'webhook registration failed'));
  }

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
      periodic.stop();
      await queue.stop();
      if (!options.database) await database.close();
    },
  };
}
