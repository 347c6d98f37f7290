import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeLinearSchema } from './executable-schema';
import { FaultQueue, type FaultSpec } from './faults';
import { createGraphqlHandler, type FakeRequest } from './http-handler';
import { createAppWebhooks, type AppWebhooks } from './app-webhooks';
import { FakeOAuthGrants, type FakeOAuthApp } from './oauth-grants';
import { handleOAuth } from './oauth-http';
import { FakeLinearStore } from './store';
import type { IssueAction } from './types';
import { WebhookEmitter, signWebhook, type SignedWebhook, type WebhookDelivery, type WebhookTarget } from './webhook-emitter';
import { issueWebhookEnvelope } from './webhook-payload';

export interface FakeLinearOptions {
  /** Accepted `Authorization` values, bare or as `Bearer <key>`; default `['lin_api_test_key']`. */
  apiKeys?: string[];
  /** Fixed delay before every request is handled (benchmarks use 100 ms per upstream call). */
  delayMs?: number;
  orgUrlKey?: string;
  /** The OAuth app the fake knows (client id and secret, callback URLs, app webhook). */
  oauthApp?: FakeOAuthApp;
}

export interface FakeLinear {
  /** `http://127.0.0.1:<port>/graphql` */
  readonly url: string;
  /** The default workspace (API keys reach it; OAuth tokens reach the workspace they were granted in). */
  readonly store: FakeLinearStore;
  /** OAuth: the app, its codes and tokens, counters (https://linear.app/developers/oauth-2-0-authentication). */
  readonly oauth: FakeOAuthGrants & { configure(app: FakeOAuthApp): void };
  /** `http://127.0.0.1:<port>`: `/oauth/authorize`, `/oauth/token`, `/oauth/revoke` live here. */
  readonly origin: string;
  /** Another workspace, which an OAuth consent can pick; its changes go to the app webhook once authorized. */
  addWorkspace(input: { name: string; urlKey: string }): FakeLinearStore;
  /** OAuthApp `revoked` deliveries sent to the app webhook. */
  readonly appEvents: AppWebhooks['events'];
  readonly requests: readonly FakeRequest[];
  /** Issue webhooks sent, from every workspace. */
  readonly deliveries: readonly WebhookDelivery[];
  /** Webhooks not sent because webhooks were paused. */
  readonly droppedWebhooks: number;
  inject(fault: FaultSpec): void;
  setDelay(ms: number): void;
  webhookTarget(target: { url: string; secret: string }): WebhookTarget;
  buildIssueWebhook(
    issueId: string,
    action: IssueAction,
    updatedFrom?: Record<string, unknown>,
    options?: { secret?: string; webhookId?: string },
  ): SignedWebhook;
  pauseWebhooks(): void;
  resumeWebhooks(): void;
  /** Resolves once every webhook delivery started so far has been answered. */
  webhooksIdle(): Promise<void>;
  /** Back to the seeded state: store, faults, requests, webhook targets and deliveries, delay. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_API_KEY = 'lin_api_test_key';

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve(address);
      else reject(new Error('The fake Linear server has no TCP address'));
    });
  });
}

export async function startFakeLinear(options: FakeLinearOptions = {}): Promise<FakeLinear> {
  const apiKeys = options.apiKeys ?? [DEFAULT_API_KEY];
  const initialDelay = options.delayMs ?? 0;
  let delayMs = initialDelay;
  const store = new FakeLinearStore({ orgUrlKey: options.orgUrlKey ?? 'fake-org' });
  const faults = new FaultQueue();
  const requests: FakeRequest[] = [];
  const webhooks = new WebhookEmitter(store);
  const grants = new FakeOAuthGrants();
  grants.app = options.oauthApp;
  const extra = new Map<string, { store: FakeLinearStore; emitter: WebhookEmitter }>();
  const emitterOf = (organizationId: string) => (organizationId === store.organization.id ? webhooks : extra.get(organizationId)?.emitter);
  const storeOf = (organizationId: string) => (organizationId === store.organization.id ? store : extra.get(organizationId)?.store);
  const appWebhooks = createAppWebhooks(grants, emitterOf);
  const closing = new AbortController();
  const graphql = createGraphqlHandler({
    schema: fakeLinearSchema(),
    store,
    faults,
    requests,
    apiKeys: () => apiKeys,
    oauthWorkspace: (accessToken) => {
      const organizationId = grants.organizationOf(accessToken);
      return organizationId === 'expired' ? 'expired' : organizationId ? storeOf(organizationId) : undefined;
    },
    oauthActor: (accessToken) => grants.actorOf(accessToken),
    delayMs: () => delayMs,
    closing: closing.signal,
  });
  const oauthDeps = { grants, workspaces: () => [store, ...[...extra.values()].map((w) => w.store)] };
  const server = createServer((req, res) => {
    if (!(req.url ?? '').startsWith('/oauth/')) return graphql(req, res);
    handleOAuth(req, res, oauthDeps).then(
      (handled) => {
        if (!handled) graphql(req, res);
      },
      () => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  const address = await listen(server);
  const emitters = () => [webhooks, ...[...extra.values()].map((w) => w.emitter)];

  return {
    url: `http://127.0.0.1:${address.port}/graphql`,
    origin: `http://127.0.0.1:${address.port}`,
    store,
    oauth: Object.assign(grants, {
      configure: (app: FakeOAuthApp) => {
        grants.app = app;
      },
    }),
    addWorkspace(input) {
      const workspace = new FakeLinearStore({ orgUrlKey: input.urlKey });
      workspace.organization.name = input.name;
      extra.set(workspace.organization.id, { store: workspace, emitter: new WebhookEmitter(workspace) });
      return workspace;
    },
    appEvents: appWebhooks.events,
    requests,
    get deliveries() {
      return emitters().flatMap((e) => e.deliveries);
    },
    get droppedWebhooks() {
      return webhooks.dropped;
    },
    inject: (fault) => faults.add(fault),
    setDelay: (ms) => {
      delayMs = ms;
    },
    webhookTarget: (target) => webhooks.addTarget(target),
    buildIssueWebhook: (issueId, action, updatedFrom, build = {}) => {
      const issue = store.findIssue(issueId);
      if (!issue) throw new Error(`No issue ${issueId} in the fake Linear store`);
      const target = webhooks.targets[0];
      const secret = build.secret ?? target?.secret;
      if (!secret) throw new Error('buildIssueWebhook needs a secret: pass options.secret or register fake.webhookTarget() first');
      const payload = issueWebhookEnvelope(store, {
        action,
        issue,
        updatedFrom: updatedFrom ?? (action === 'update' ? {} : undefined),
        actorId: store.viewerId,
        webhookId: build.webhookId ?? target?.id ?? 'fake-webhook',
      });
      return signWebhook(payload, secret);
    },
    pauseWebhooks: () => webhooks.pause(),
    resumeWebhooks: () => webhooks.resume(),
    webhooksIdle: async () => {
      await Promise.all([...emitters().map((e) => e.idle()), appWebhooks.idle()]);
    },
    reset: () => {
      store.reset();
      faults.clear();
      requests.length = 0;
      webhooks.reset();
      extra.clear();
      grants.reset();
      grants.app = options.oauthApp;
      appWebhooks.reset();
      delayMs = initialDelay;
    },
    close: async () => {
      closing.abort();
      await Promise.all([...emitters().map((e) => e.idle()), appWebhooks.idle()]);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
