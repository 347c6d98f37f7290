/**
 * "Connect Linear" wiring: the flow with its stores and Linear's endpoints bound, its routes (the
 * widget's start and disconnect, the OAuth callback) and the app webhook route. Absent when
 * LINEAR_CLIENT_ID / LINEAR_CLIENT_SECRET are unset: then only the personal API key connects Linear.
 */
import type Router from '@koa/router';
import type { Config } from '../config';
import type { Db } from '../db/create-db';
import type { InstallationStore } from '../db/installation-store';
import { linearDeliveriesRepo } from '../db/repos/linear-deliveries';
import { linearOAuthStatesRepo } from '../db/repos/linear-oauth-states';
import { linksRepo } from '../db/repos/links';
import type { Installation } from '../domain/installation';
import { createLinearConnect } from '../flows/linear-connect/connect-linear';
import type { WidgetGate } from '../http/middleware/widget-auth';
import { webhookStamper } from '../db/repos/setup-marks';
import { linearAppWebhookRoutes } from '../http/routes/linear-app-webhook';
import { linearOAuthRoutes } from '../http/routes/linear-oauth';
import { enqueueIssueChanged } from '../jobs/linear-issue-changed';
import { enqueueLinearComment } from '../jobs/linear-comment';
import type { Queue } from '../jobs/queue';
import { resumeWaitingDeals } from '../jobs/resume-waiting';
import { createLinearApi } from '../linear/client';
import { createLinearOAuthClient } from '../linear/oauth';
import type { Logger } from '../log';
import type { Metrics } from '../ops/metrics';
import type { Tenant } from '../tenants';

export interface LinearConnectWiring {
  config: Config;
  db: Db;
  installations: InstallationStore;
  queue: Pick<Queue, 'send'>;
  tenantFor(installation: Installation): Tenant;
  gate: WidgetGate;
  metrics: Metrics;
  log: Logger;
  /** Linear is connected: warm the installation's lists. */
  onConnected(installationId: string): void;
}

export function createLinearConnectRoutes(deps: LinearConnectWiring): Router[] {
  const oauthConfig = deps.config.linearOAuth;
  if (!oauthConfig) return [];
  const { db, installations, config } = deps;
  const oauth = createLinearOAuthClient(oauthConfig, config.httpTimeoutMs);
  const connect = createLinearConnect({
    authorizeUrl: (state, options) => oauth.authorizeUrl(state, options),
    exchangeCode: (code) => oauth.exchangeCode(code),
    revoke: (token) => oauth.revoke(token),
    async readWorkspace(accessToken) {
      const token = { current: async () => ({ kind: 'oauth' as const, value: accessToken }), renew: async () => undefined };
      const linear = createLinearApi({ apiUrl: config.linearApiUrl, token, timeoutMs: config.httpTimeoutMs });
      const [viewer, teams] = await Promise.all([linear.viewer(), linear.teams()]);
      return { viewerId: viewer.viewer.id, organizationId: viewer.organization.id, organizationName: viewer.organization.name, teams };
    },
    createState: (installationId, userId, ttlSeconds) => linearOAuthStatesRepo.create(db, { installationId, userId, ttlSeconds }),
    consumeState: (state) => linearOAuthStatesRepo.consume(db, state),
    peekState: (state) => linearOAuthStatesRepo.peek(db, state),
    loadInstallation: (id) => installations.load(id),
    refreshTokenOf: async (id) => (await installations.credentials(id, { fresh: true }))?.linearOAuth?.refreshToken,
    connect: (id, connection) => installations.linearOAuth.connect(id, connection),
    forget: (id) => installations.linearOAuth.forget(id),
    markRevoked: (id) => installations.linearOAuth.markEnded(id, 'revoked', 'The app was removed from the Linear workspace'),
    installationsOfOrganization: async (organizationId) => (await installations.linearOAuth.byOrganization(organizationId)).map((i) => i.id),
    async afterConnect(installationId) {
      const installation = await installations.load(installationId);
      if (!installation) return;
      // Another workspace may have been connected before: its teams and users are not this one's.
      await deps.tenantFor(installation).referenceData.forgetLinear();
      const waiting = await linksRepo.listWaiting(db, installationId);
      const queued = await resumeWaitingDeals(deps.queue, installationId, waiting);
      if (queued > 0) deps.log.info({ installationId, queued }, 'Linear reconnected; waiting deals queued');
      deps.onConnected(installationId);
    },
    log: deps.log,
  });
  return [
    ...linearOAuthRoutes({ gate: deps.gate, connect, log: deps.log }),
    linearAppWebhookRoutes({
      appSecret: oauthConfig.webhookSecret,
      clientId: oauthConfig.clientId,
      byOrganization: (organizationId) => installations.linearOAuth.byOrganization(organizationId),
      onAppRevoked: (organizationId) => connect.onAppRevoked(organizationId),
      isLinked: (installationId, issueId) => linksRepo.hasIssue(db, installationId, issueId),
      recordDelivery: (installationId, keys) => linearDeliveriesRepo.record(db, installationId, keys),
      forgetDelivery: (installationId, keys) => linearDeliveriesRepo.forget(db, installationId, keys),
      seen: webhookStamper(db, 'linear_webhook', (err) => deps.log.warn({ err }, 'could not stamp the last Linear webhook')),
      enqueue: (installationId, delivery, deliveryId) => enqueueIssueChanged(deps.queue, installationId, delivery, deliveryId),
      enqueueComment: (installationId, delivery, deliveryId) => enqueueLinearComment(deps.queue, installationId, delivery, deliveryId),
      metrics: deps.metrics,
    }),
  ];
}
