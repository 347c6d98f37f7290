/**
 * App webhooks of the fake's OAuth app: like Linear, a workspace that authorizes the app gets the
 * app's webhook (its one URL and signing secret), and when the app is de-authorized the
 * webhook sends an `OAuthApp` event with action `revoked` (`oauthClientId`, `organizationId`;
 * https://linear.app/developers/webhooks) and stops.
 */
import type { FakeOAuthGrants } from './oauth-grants';
import { signWebhook, type WebhookEmitter, type WebhookTarget } from './webhook-emitter';

export interface AppEvent {
  organizationId: string;
  rawBody: string;
  status: number | null;
}

export interface AppWebhooks {
  readonly events: readonly AppEvent[];
  idle(): Promise<void>;
  reset(): void;
}

export function createAppWebhooks(grants: FakeOAuthGrants, emitterOf: (organizationId: string) => WebhookEmitter | undefined): AppWebhooks {
  const events: AppEvent[] = [];
  const installed = new Map<string, WebhookTarget>();
  const inFlight = new Set<Promise<void>>();

  async function sendRevoked(organizationId: string, webhookId: string, url: string, secret: string): Promise<void> {
    const signed = signWebhook(
      {
        action: 'revoked',
        type: 'OAuthApp',
        createdAt: new Date().toISOString(),
        organizationId,
        oauthClientId: grants.app?.clientId ?? '',
        webhookId,
        webhookTimestamp: Date.now(),
      },
      secret,
    );
    const event: AppEvent = { organizationId, rawBody: signed.rawBody, status: null };
    events.push(event);
    try {
      const response = await fetch(url, { method: 'POST', headers: { ...signed.headers, 'Linear-Event': 'OAuthApp' }, body: signed.rawBody, signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      event.status = response.status;
    } catch {
      event.status = null;
    }
  }

  grants.onGrantChange(({ kind, organizationId }) => {
    const app = grants.app;
    const emitter = emitterOf(organizationId);
    if (!app?.webhookUrl || !app.webhookSecret || !emitter) return;
    const existing = installed.get(organizationId);
    if (kind === 'authorized') {
      if (!existing) installed.set(organizationId, emitter.addTarget({ url: app.webhookUrl, secret: app.webhookSecret }));
      return;
    }
    if (!existing) return;
    installed.delete(organizationId);
    const at = emitter.targets.indexOf(existing);
    if (at >= 0) emitter.targets.splice(at, 1);
    const sending = sendRevoked(organizationId, existing.id, app.webhookUrl, app.webhookSecret).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  });

  return {
    events,
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    reset() {
      installed.clear();
      events.length = 0;
    },
  };
}
