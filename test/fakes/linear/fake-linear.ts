import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeLinearSchema } from './executable-schema';
import { FaultQueue, type FaultSpec } from './faults';
import { createGraphqlHandler, type FakeRequest } from './http-handler';
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
}

export interface FakeLinear {
  /** `http://127.0.0.1:<port>/graphql` */
  readonly url: string;
  readonly store: FakeLinearStore;
  readonly requests: readonly FakeRequest[];
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
  const closing = new AbortController();
  const server = createServer(
    createGraphqlHandler({
      schema: fakeLinearSchema(),
      store,
      faults,
      requests,
      apiKeys: () => apiKeys,
      delayMs: () => delayMs,
      closing: closing.signal,
    }),
  );
  const address = await listen(server);

  return {
    url: `http://127.0.0.1:${address.port}/graphql`,
    store,
    requests,
    deliveries: webhooks.deliveries,
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
    webhooksIdle: () => webhooks.idle(),
    reset: () => {
      store.reset();
      faults.clear();
      requests.length = 0;
      webhooks.reset();
      delayMs = initialDelay;
    },
    close: async () => {
      closing.abort();
      await webhooks.idle();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
