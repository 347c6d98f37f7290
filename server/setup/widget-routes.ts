/** The widget's two APIs (deal card and settings page) with their per-installation flows. */
import type Router from '@koa/router';
import type { Config } from '../config';
import { bindDb } from '../db/bind';
import type { CacheStore } from '../db/cache-store';
import type { Db } from '../db/create-db';
import type { Installation, InstallationsRepo } from '../db/repos/installations';
import { linksRepo } from '../db/repos/links';
import { settingsChangesRepo } from '../db/repos/settings-changes';
import { createWidgetInstallations, type WidgetInstallations } from '../http/middleware/widget-auth';
import { settingsApiRoutes } from '../http/routes/settings-api';
import { widgetApiRoutes } from '../http/routes/widget-api';
import { createLinearApi } from '../linear/client';
import type { Logger } from '../log';
import { createSettingsPage } from '../sync/settings-page';
import { createWidgetLinks, type WidgetJob } from '../sync/widget-links';
import type { Tenant } from '../tenants';

export interface WidgetRoutesDeps {
  config: Config;
  db: Db;
  installations: InstallationsRepo;
  cache: CacheStore;
  tenantFor(installation: Installation): Tenant;
  enqueue(job: WidgetJob): Promise<void>;
  /** A Linear key was connected: register the Linear webhook if possible. */
  onLinearConnected(installationId: string): void;
  /** Settings or credentials changed: forget what the webhook intake cached. */
  onInstallationChanged(): void;
  log: Logger;
}

export function createWidgetRoutes(deps: WidgetRoutesDeps): { routers: Router[]; widgetInstallations: WidgetInstallations } {
  const { config, db, installations, cache } = deps;
  const widgetInstallations = createWidgetInstallations({
    findByAccountId: (accountId) => installations.findByAccountId(db, accountId),
    listActive: () => installations.listActive(db),
  });
  const cards = widgetApiRoutes({
    publicUrl: config.publicUrl,
    installations: widgetInstallations,
    linksFor: (inst) => createWidgetLinks({ installation: inst, links: bindDb(linksRepo, db), ...deps.tenantFor(inst), enqueue: deps.enqueue, log: deps.log }),
  });
  const settings = settingsApiRoutes({
    publicUrl: config.publicUrl,
    installations: widgetInstallations,
    pageFor: (inst) =>
      createSettingsPage({
        installation: inst,
        ...deps.tenantFor(inst),
        publicUrl: config.publicUrl,
        recentChanges: () => settingsChangesRepo.recent(db, inst.id),
        async refreshLists() {
          for (const prefix of ['linear:', 'kommo:users', 'kommo:lead-fields', 'kommo:pipelines']) await cache.invalidatePrefix(inst.id, prefix);
        },
        linearFor: (apiKey) => createLinearApi({ apiUrl: config.linearApiUrl, apiKey, timeoutMs: config.httpTimeoutMs }),
        async saveSettings(value, change) {
          await db.transaction(async (trx) => {
            await installations.updateSettings(trx, inst.id, value);
            await settingsChangesRepo.add(trx, inst.id, { ...change, after: value });
          });
          widgetInstallations.invalidate();
          deps.onInstallationChanged();
        },
        async saveLinearKey(apiKey, viewerId) {
          await installations.setLinearApiKey(db, inst.id, apiKey, viewerId);
          widgetInstallations.invalidate();
          deps.onInstallationChanged();
          if (apiKey) deps.onLinearConnected(inst.id);
        },
        forgetLinearCaches: () => cache.invalidatePrefix(inst.id, 'linear:'),
        async saveLinearWebhookSecret(secret) {
          await installations.setLinearWebhook(db, inst.id, null, secret);
          widgetInstallations.invalidate();
          deps.onInstallationChanged();
        },
      }),
  });
  return { routers: [cards, settings], widgetInstallations };
}
