/**
 * Every HTTP route with its dependencies bound: the one place where a route's "enqueue" becomes
 * a job's `enqueueX`, and where the widget's flows get their installation's clients.
 */
import type Router from '@koa/router';
import type { Config } from '../config';
import { bindDb } from '../db/bind';
import type { Database } from '../db/create-db';
import type { InstallationStore } from '../db/installation-store';
import { linearDeliveriesRepo } from '../db/repos/linear-deliveries';
import { linksRepo } from '../db/repos/links';
import { checkReadiness } from '../db/readiness';
import { settingsChangesRepo } from '../db/repos/settings-changes';
import type { Installation } from '../domain/installation';
import { createSettingsPage } from '../flows/settings/settings-page';
import { createWidgetLinks } from '../flows/widget-links/widget-links';
import type { WidgetGate } from '../http/middleware/widget-auth';
import type { SetupStatus } from '../http/setup-page';
import { healthRoutes } from '../http/routes/health';
import { homeRoutes } from '../http/routes/home';
import { kommoDpWebhookRoutes } from '../http/routes/kommo-dp-webhook';
import { kommoWebhookRoutes } from '../http/routes/kommo-webhook';
import { linearWebhookRoutes } from '../http/routes/linear-webhook';
import { settingsApiRoutes } from '../http/routes/settings-api';
import { backfillApiRoutes } from '../http/routes/backfill-api';
import { dpTokenApiRoutes } from '../http/routes/dp-token-api';
import { backfillControlOf } from '../jobs/backfill-control-of';
import { widgetApiRoutes } from '../http/routes/widget-api';
import { appIconRoutes } from '../http/routes/app-icon';
import { setupMarksRepo, webhookStamper } from '../db/repos/setup-marks';
import { widgetZipRoutes } from '../http/routes/widget-zip';
import { enqueueWon, enqueueWonEvents } from '../jobs/kommo-deal-won';
import { enqueueCustomerSync } from '../jobs/linear-customer';
import { enqueueIssueChanged } from '../jobs/linear-issue-changed';
import { enqueueLinearComment } from '../jobs/linear-comment';
import { enqueueKommoNote } from '../jobs/kommo-note';
import type { Queue } from '../jobs/queue';
import { dpActionToken, isDpActionToken } from '../kommo/dp-token';
import { createWidgetTokenVerifier } from '../kommo/widget-token';
import { createLinearApi } from '../linear/client';
import { fixedApiKey } from '../linear/tokens';
import { createLinearWebhookVerifier } from '../linear/webhook';
import type { Logger } from '../log';
import type { Metrics } from '../ops/metrics';
import type { Tenant } from '../tenants';
import { createWidgetZip } from '../widget-package/widget-zip';

export interface RoutesDeps {
  config: Config;
  database: Database;
  installations: InstallationStore;
  queue: Pick<Queue, 'send'>;
  tenantFor(installation: Installation): Tenant;
  metrics: Metrics;
  /** A Linear key was connected: register the Linear webhook if possible. */
  onLinearConnected(installationId: string): void;
  /** What the page at `/` shows (setup/next-steps.ts). */
  status(): Promise<SetupStatus>;
  log: Logger;
}

/** The routers in the order they match; the marketplace's come from setup/marketplace.ts. */
export function createRoutes(deps: RoutesDeps, marketplace: Router | undefined): Router[] {
  const { installations, queue, metrics } = deps;
  const db = deps.database.db;
  const secretOf = async (id: string) => (await installations.credentials(id))?.linearWebhookSecret;
  const linearSeen = webhookStamper(db, 'linear_webhook', (err) => deps.log.warn({ err }, 'could not stamp the last Linear webhook'));
  return [
    // Probes first: they cost nothing and must be answered whatever else arrives.
    healthRouter(deps),
    // The hottest route next: Kommo posts a webhook for every stage change of every deal.
    kommoWebhookRoutes({
      findBySecret: (secret) => installations.bySecret(secret),
      enqueueWon: (installationId, fired, requestedAt) => enqueueWonEvents(queue, db, installationId, fired, requestedAt),
      enqueueNote: (installationId, leadId, noteId) => enqueueKommoNote(queue, { installationId, leadId, noteId }),
      enqueueCustomer: (installationId, leadId) => enqueueCustomerSync(queue, installationId, leadId),
      metrics,
      log: deps.log,
      seen: webhookStamper(db, 'kommo_webhook', (err) => deps.log.warn({ err }, 'could not stamp the last Kommo webhook')),
    }),
    kommoDpWebhookRoutes({
      findBySecret: (secret) => installations.bySecret(secret),
      async findOAuthAccount({ id, subdomain }) {
        const found = id !== undefined ? await installations.forAccount(id, undefined) : subdomain ? await installations.forSubdomain(subdomain) : undefined;
        return found?.mode === 'oauth' && found.status === 'active' ? found : undefined;
      },
      isDpToken: async (installationId, token) => {
        const secret = (await installations.credentials(installationId))?.kommoWebhookSecret;
        return secret ? isDpActionToken(secret, token) : false;
      },
      enqueueDp: (installationId, leadId, linkKey, dp, requestedAt) => enqueueWon(queue, { installationId, leadId, origin: 'won', linkKey, dp, requestedAt }),
      metrics,
    }),
    ...(marketplace ? [marketplace] : []),
    homeRoutes({ status: deps.status }),
    widgetZipRoutes({ widgetZip: createWidgetZip({ serverUrl: deps.config.publicUrl }) }),
    appIconRoutes(),
    linearWebhookRoutes({
      metrics,
      findInstallation: (id) => installations.forLinear(id),
      verify: createLinearWebhookVerifier({ forLinear: (id, options) => installations.forLinear(id, options), webhookSecretOf: secretOf }),
      isLinked: (installationId, issueId) => linksRepo.hasIssue(db, installationId, issueId),
      recordDelivery: (installationId, keys) => linearDeliveriesRepo.record(db, installationId, keys),
      forgetDelivery: (installationId, keys) => linearDeliveriesRepo.forget(db, installationId, keys),
      enqueue: (installationId, delivery, deliveryId) => enqueueIssueChanged(queue, installationId, delivery, deliveryId),
      enqueueComment: (installationId, delivery, deliveryId) => enqueueLinearComment(queue, installationId, delivery, deliveryId),
      seen: linearSeen,
    }),
    ...widgetRoutes(deps),
  ];
}

/** /healthz, /readyz and /metrics: on the main listener, and alone on HEALTH_PORT when set. */
export function healthRouter(deps: Pick<RoutesDeps, 'metrics' | 'database' | 'config'>): Router {
  return healthRoutes({ metrics: deps.metrics, metricsToken: deps.config.metricsToken, ready: () => checkReadiness(deps.database) });
}

/** What guards every widget route: the one-time token check and the account origins CORS admits. */
export function widgetGate(deps: Pick<RoutesDeps, 'config' | 'installations'>): WidgetGate {
  const { config, installations } = deps;
  return {
    verify: createWidgetTokenVerifier(
      {
        // Disabled ones too: widgetAuth answers them with when and how they were disabled.
        forAccount: (accountId, issuer) => installations.forAccount(accountId, issuer, { includeDisabled: true }),
        clientSecretOf: async (id) => (await installations.credentials(id))?.kommoClientSecret ?? null,
      },
      config.publicUrl,
    ),
    knowsOrigin: (origin) => installations.knowsOrigin(origin),
  };
}

/** The widget's two APIs (deal card and settings page) with their per-installation flows. */
function widgetRoutes(deps: RoutesDeps): Router[] {
  const { config, installations } = deps;
  const db = deps.database.db;
  const gate = widgetGate(deps);
  const cards = widgetApiRoutes({
    gate,
    linksFor: (inst) =>
      createWidgetLinks({
        installation: inst,
        links: bindDb(linksRepo, db),
        ...deps.tenantFor(inst),
        // The widget's Create and Retry queue the same job as the webhook, for one link key of the deal.
        enqueue: (job) => enqueueWon(deps.queue, { ...job, origin: 'widget' }),
        log: deps.log,
      }),
  });
  const settings = settingsApiRoutes({
    gate,
    pageFor: (inst) => {
      const tenant = deps.tenantFor(inst);
      return createSettingsPage({
        installation: inst,
        ...tenant,
        publicUrl: config.publicUrl,
        linearOAuthAvailable: config.linearOAuth !== undefined,
        recentChanges: () => settingsChangesRepo.recent(db, inst.id),
        setupMarks: () => setupMarksRepo.read(db, inst.id),
        markPreviewed: () => setupMarksRepo.mark(db, inst.id, 'previewed'),
        refreshLists: () => tenant.referenceData.refreshSettingsLists(),
        linearFor: (apiKey) => createLinearApi({ apiUrl: config.linearApiUrl, token: fixedApiKey(apiKey), timeoutMs: config.httpTimeoutMs }),
        saveSettings: (value, change) => installations.saveSettings(inst.id, value, change),
        async saveLinearKey(apiKey, viewerId) {
          await installations.setLinearApiKey(inst.id, apiKey, viewerId);
          if (apiKey) deps.onLinearConnected(inst.id);
        },
        forgetLinearCaches: () => tenant.referenceData.forgetLinear(),
        saveLinearWebhookSecret: (secret) => installations.setLinearWebhook(inst.id, null, secret),
      });
    },
  });
  const backfill = backfillApiRoutes({ gate, backfillFor: (inst) => backfillControlOf(db, deps.queue, inst, deps.tenantFor(inst)) });
  const dpToken = dpTokenApiRoutes({
    gate,
    dpTokenOf: async (inst) => {
      const secret = (await installations.credentials(inst.id))?.kommoWebhookSecret;
      return secret ? dpActionToken(secret) : undefined;
    },
  });
  return [cards, settings, backfill, dpToken];
}
