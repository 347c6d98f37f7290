import { createHmac, randomUUID } from 'node:crypto';
import type { FakeLinearStore } from './store';
import { commentWebhookEnvelope } from './comment-payload';
import type { CommentChange, IssueAction, IssueChange } from './types';
import { issueWebhookEnvelope, updatedFromOf } from './webhook-payload';
import { newId } from './util';

export interface WebhookTarget {
  id: string;
  url: string;
  secret: string;
}

export interface SignedWebhook {
  rawBody: string;
  headers: Record<string, string>;
}

export interface WebhookDelivery {
  deliveryId: string;
  webhookId: string;
  url: string;
  /** The `Linear-Event` (entity type) of the delivery. */
  type: 'Issue' | 'Comment';
  action: IssueAction;
  issueId: string;
  /** For a Comment delivery, the comment. */
  commentId?: string;
  rawBody: string;
  /** HTTP status of the receiver's answer; null when it could not be reached. */
  status: number | null;
  error?: string;
  sentAt: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SEND_TIMEOUT_MS = 5000;

export function signWebhook(payload: Record<string, unknown>, secret: string, event: 'Issue' | 'Comment' = 'Issue'): SignedWebhook {
  const rawBody = JSON.stringify(payload);
  return {
    rawBody,
    headers: {
      'Accept-Charset': 'utf-8',
      'Content-Type': 'application/json; charset=utf-8',
      'Linear-Delivery': randomUUID(),
      'Linear-Event': event,
      'Linear-Signature': createHmac('sha256', secret).update(rawBody).digest('hex'),
      'Linear-Timestamp': String(Date.now()),
      'User-Agent': 'Linear-Webhook',
    },
  };
}

/** Sends Issue webhooks to registered targets, like Linear does after a change. */
export class WebhookEmitter {
  readonly deliveries: WebhookDelivery[] = [];
  readonly targets: WebhookTarget[] = [];
  dropped = 0;
  private paused = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly store: FakeLinearStore) {
    store.onIssueChange((change) => this.onChange(change));
    store.onCommentChange((change) => this.onCommentChange(change));
  }

  addTarget(target: { url: string; secret: string }): WebhookTarget {
    const registered = { id: newId(), ...target };
    this.targets.push(registered);
    return registered;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Resolves when every delivery started so far has got its answer. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  reset(): void {
    this.targets.length = 0;
    this.deliveries.length = 0;
    this.dropped = 0;
    this.paused = false;
  }

  /**
   * Webhooks created through the API only get deliveries when they point at a loopback host, so a
   * test that registers `https://example.com/...` never reaches the network.
   */
  private receivers(teamId: string, resourceType: 'Issue' | 'Comment' = 'Issue'): WebhookTarget[] {
    const apiWebhooks = this.store
      .webhooks()
      .filter((w) => w.enabled && w.resourceTypes.includes(resourceType) && (w.allPublicTeams || w.teamId === teamId))
      .filter((w) => LOOPBACK_HOSTS.has(URL.canParse(w.url) ? new URL(w.url).hostname : ''));
    return [...this.targets, ...apiWebhooks.map((w) => ({ id: w.id, url: w.url, secret: w.secret }))];
  }

  private onChange(change: IssueChange): void {
    const updatedFrom = change.before && change.action === 'update' ? updatedFromOf(change.before, change.issue) : undefined;
    for (const target of this.receivers(change.issue.teamId)) {
      if (this.paused) {
        this.dropped += 1;
        continue;
      }
      const payload = issueWebhookEnvelope(this.store, { ...change, updatedFrom, webhookId: target.id });
      const signed = signWebhook(payload, target.secret);
      const delivery: WebhookDelivery = {
        deliveryId: signed.headers['Linear-Delivery'] ?? '',
        webhookId: target.id,
        url: target.url,
        type: 'Issue',
        action: change.action,
        issueId: change.issue.id,
        rawBody: signed.rawBody,
        status: null,
        sentAt: new Date().toISOString(),
      };
      const sending = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.send(target.url, signed, delivery))
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  private onCommentChange(change: CommentChange): void {
    const issue = this.store.issuesById.get(change.comment.issueId);
    if (!issue) return;
    for (const target of this.receivers(issue.teamId, 'Comment')) {
      if (this.paused) {
        this.dropped += 1;
        continue;
      }
      const signed = signWebhook(commentWebhookEnvelope(this.store, change, target.id), target.secret, 'Comment');
      const delivery: WebhookDelivery = {
        deliveryId: signed.headers['Linear-Delivery'] ?? '',
        webhookId: target.id,
        url: target.url,
        type: 'Comment',
        action: change.action,
        issueId: issue.id,
        commentId: change.comment.id,
        rawBody: signed.rawBody,
        status: null,
        sentAt: new Date().toISOString(),
      };
      this.dispatch(target.url, signed, delivery);
    }
  }

  private dispatch(url: string, signed: SignedWebhook, delivery: WebhookDelivery): void {
    const sending = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.send(url, signed, delivery))
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async send(url: string, signed: SignedWebhook, delivery: WebhookDelivery): Promise<void> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: signed.headers,
        body: signed.rawBody,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      delivery.status = response.status;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    this.deliveries.push(delivery);
  }
}
