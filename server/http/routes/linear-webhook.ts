/**
 * Linear webhook intake: verify the signature over the raw bytes and the timestamp, drop what is
 * not about a linked issue, dedupe, enqueue, answer 200. Our own faults answer 5xx, because
 * Linear retries those and never a 4xx.
 */
import type Router from '@koa/router';
import { createRouter } from '../router';
import { createHash } from 'node:crypto';
import { AppError } from '../../errors';
import type { Installation } from '../../domain/installation';
import type { CommentDelivery } from '../../linear/comment-webhook';
import type { LinearDelivery, VerifyLinearWebhook } from '../../linear/webhook';
import type { Metrics } from '../../ops/metrics';
import { mediaType, readRawBody } from '../middleware/read-body';

export interface LinearWebhookDeps {
  /** The installation of `/webhooks/linear/:installation`, or the single-account one; `fresh` skips any cache. */
  findInstallation(id: string | undefined): Promise<Installation | undefined>;
  /** Checks the signature and the timestamp; the installation may be re-read after a secret rotation. */
  verify: VerifyLinearWebhook;
  isLinked(installationId: string, issueId: string): Promise<boolean>;
  /** False when any of the delivery's keys was accepted before. */
  recordDelivery(installationId: string, deliveryKeys: string[]): Promise<boolean>;
  forgetDelivery(installationId: string, deliveryKeys: string[]): Promise<void>;
  enqueue(installationId: string, delivery: Extract<LinearDelivery, { kind: 'issue' }>, deliveryId: string): Promise<void>;
  /** Queues a new comment on a linked issue (comments enabled); edits and removals never reach it. */
  enqueueComment(installationId: string, delivery: CommentDelivery, deliveryId: string): Promise<void>;
  metrics: Metrics;
  /** A verified delivery reached this installation (the setup checklist's "last delivery"; never fails). */
  seen?: (installationId: string) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Linear's delivery ids are UUIDs; anything else in the (unsigned) header is not used as a key. */
const DELIVERY_HEADER = /^[\w-]{1,64}$/;

/**
 * The keys a delivery is deduplicated on. The signed body's hash catches a replay that carries a
 * fresh, unsigned `Linear-Delivery`; the header catches Linear's own retries, which are signed
 * anew with a fresh timestamp. (`webhookId` + `webhookTimestamp` is not used: two events of one
 * webhook can share a millisecond.)
 */
export function deliveryKeys(raw: Buffer, header: string): { id: string; keys: string[] } {
  const bodyHash = createHash('sha256').update(raw).digest('hex');
  const id = DELIVERY_HEADER.test(header) ? header : bodyHash;
  return { id, keys: id === bodyHash ? [bodyHash] : [id, bodyHash] };
}

export function linearWebhookRoutes(deps: LinearWebhookDeps): Router {
  const router = createRouter();
  const count = (outcome: string) => deps.metrics.webhooks.inc({ source: 'linear', outcome });

  router.post(['/webhooks/linear', '/webhooks/linear/:installation'], async (ctx) => {
    const id = ctx.params.installation;
    try {
      if (id !== undefined && !UUID.test(id)) throw new AppError('not_found', 'Unknown installation in the webhook URL');
      const found = await deps.findInstallation(id);
      if (!found) throw new AppError('not_found', 'Unknown installation in the webhook URL');
      if (!found.linearWebhookConfigured) {
        throw new AppError(
          'unauthorized',
          "Linear webhooks are not set up for this installation: paste the webhook's signing secret in the integration settings (or set LINEAR_WEBHOOK_SECRET)",
        );
      }
      if (!mediaType(ctx).endsWith('json')) throw new AppError('unsupported_media_type', 'Linear webhooks are application/json');
      const raw = await readRawBody(ctx);
      const { installation, delivery } = await deps.verify(id, found, raw, {
        signature: ctx.get('linear-signature') || undefined,
        timestamp: ctx.get('linear-timestamp') || undefined,
      });
      deps.seen?.(installation.id);
      // Our own issueCreate echoes back as a 'create' event; the Won flow already cached that issue.
      const ownCreate = delivery.kind === 'issue' && delivery.action === 'create' && delivery.actorId !== undefined && delivery.actorId === installation.linearViewerId;
      // A comment is mirrored once, when it is made: an edit is not repeated in the deal.
      const acted =
        delivery.kind === 'issue' ? delivery : delivery.kind === 'comment' && delivery.action === 'create' && installation.settings.comments.enabled ? delivery : undefined;
      if (!acted || ownCreate || !(await deps.isLinked(installation.id, acted.issueId))) {
        count('ignored');
        ctx.body = { ok: true, queued: 0 };
        return;
      }
      const { id: deliveryId, keys } = deliveryKeys(raw, ctx.get('linear-delivery'));
      if (!(await deps.recordDelivery(installation.id, keys))) {
        count('duplicate');
        ctx.body = { ok: true, queued: 0, duplicate: true };
        return;
      }
      try {
        if (acted.kind === 'comment') await deps.enqueueComment(installation.id, acted, deliveryId);
        else await deps.enqueue(installation.id, acted, deliveryId);
      } catch (error) {
        await deps.forgetDelivery(installation.id, keys).catch(() => undefined);
        throw new AppError('unavailable', 'Could not queue the Linear event; Linear will deliver it again', { cause: error });
      }
      count('accepted');
      ctx.body = { ok: true, queued: 1 };
    } catch (error) {
      if (error instanceof AppError && error.code !== 'unavailable' && error.code !== 'internal') count('rejected');
      // A database outage while checking must make Linear retry, not drop the event.
      if (!(error instanceof AppError)) throw new AppError('unavailable', 'Temporary failure; Linear will deliver again', { cause: error });
      throw error;
    }
  });
  return router;
}
