/**
 * Webhooks of the Linear OAuth app: Linear creates the app's webhook in every workspace that
 * authorizes it and signs every delivery with the app's one secret (LINEAR_WEBHOOK_SECRET), so
 * a delivery is routed by its signed `organizationId` to the installations connected to that
 * workspace. The `OAuthApp` `revoked` event (the app was removed from the workspace) marks them
 * "reconnect needed" (https://linear.app/developers/webhooks). Verification, dedupe and queueing
 * are those of the per-installation webhook (linear-webhook.ts).
 */
import type Router from '@koa/router';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { CommentDelivery } from '../../linear/comment-webhook';
import type { LinearDelivery } from '../../linear/webhook';
import { verifyLinearDelivery } from '../../linear/webhook';
import type { Metrics } from '../../ops/metrics';
import { mediaType, readRawBody } from '../middleware/read-body';
import { createRouter } from '../router';
import { deliveryKeys } from './linear-webhook';

export const LINEAR_APP_WEBHOOK_PATH = '/webhooks/linear-app';

export interface LinearAppWebhookDeps {
  appSecret: string | undefined;
  clientId: string;
  /** The active installations connected to a Linear workspace, with their Linear user. */
  byOrganization(organizationId: string): Promise<Array<{ id: string; viewerId: string | null }>>;
  onAppRevoked(organizationId: string): Promise<number>;
  isLinked(installationId: string, issueId: string): Promise<boolean>;
  recordDelivery(installationId: string, deliveryKeys: string[]): Promise<boolean>;
  forgetDelivery(installationId: string, deliveryKeys: string[]): Promise<void>;
  enqueue(installationId: string, delivery: Extract<LinearDelivery, { kind: 'issue' }>, deliveryId: string): Promise<void>;
  /** A new comment on a linked issue; its job checks that the installation mirrors comments. */
  enqueueComment(installationId: string, delivery: CommentDelivery, deliveryId: string): Promise<void>;
  metrics: Metrics;
  /** A verified delivery reached this installation (the setup checklist's "last delivery"; never fails). */
  seen?: (installationId: string) => void;
}

const RoutingSchema = z.object({ organizationId: z.string().min(1).max(64), oauthClientId: z.string().optional() });

export function linearAppWebhookRoutes(deps: LinearAppWebhookDeps): Router {
  const router = createRouter();
  const count = (outcome: string) => deps.metrics.webhooks.inc({ source: 'linear', outcome });

  router.post(LINEAR_APP_WEBHOOK_PATH, async (ctx) => {
    try {
      if (!deps.appSecret) throw new AppError('unauthorized', "Linear app webhooks are not set up: set LINEAR_WEBHOOK_SECRET to the OAuth app's webhook signing secret");
      if (!mediaType(ctx).endsWith('json')) throw new AppError('unsupported_media_type', 'Linear webhooks are application/json');
      const raw = await readRawBody(ctx);
      const delivery = verifyLinearDelivery(raw, ctx.get('linear-signature') || undefined, ctx.get('linear-timestamp') || undefined, deps.appSecret);
      const routing = RoutingSchema.safeParse(JSON.parse(raw.toString('utf8')));
      if (!routing.success) throw new AppError('bad_request', 'An app webhook must name its organizationId', { field: 'organizationId' });
      const { organizationId, oauthClientId } = routing.data;
      if (delivery.kind === 'other') {
        const ours = oauthClientId === undefined || oauthClientId === deps.clientId;
        const revoked = delivery.type === 'OAuthApp' && delivery.action === 'revoked' && ours ? await deps.onAppRevoked(organizationId) : 0;
        count(revoked > 0 ? 'accepted' : 'ignored');
        ctx.body = { ok: true, queued: 0, ...(revoked > 0 ? { revoked } : {}) };
        return;
      }
      // A comment is mirrored once, when it is made: an edit is not repeated in the deal.
      if (delivery.kind === 'comment' && delivery.action !== 'create') {
        count('ignored');
        ctx.body = { ok: true, queued: 0 };
        return;
      }
      const { id: deliveryId, keys } = deliveryKeys(raw, ctx.get('linear-delivery'));
      let queued = 0;
      for (const installation of await deps.byOrganization(organizationId)) {
        deps.seen?.(installation.id);
        // Our own issueCreate echoes back as a 'create' event; the Won flow already cached that issue.
        const ownCreate = delivery.kind === 'issue' && delivery.action === 'create' && delivery.actorId !== undefined && delivery.actorId === installation.viewerId;
        if (ownCreate || !(await deps.isLinked(installation.id, delivery.issueId))) continue;
        if (!(await deps.recordDelivery(installation.id, keys))) continue;
        try {
          if (delivery.kind === 'comment') await deps.enqueueComment(installation.id, delivery, deliveryId);
          else await deps.enqueue(installation.id, delivery, deliveryId);
        } catch (error) {
          await deps.forgetDelivery(installation.id, keys).catch(() => undefined);
          throw new AppError('unavailable', 'Could not queue the Linear event; Linear will deliver it again', { cause: error });
        }
        queued += 1;
      }
      count(queued > 0 ? 'accepted' : 'ignored');
      ctx.body = { ok: true, queued };
    } catch (error) {
      if (error instanceof AppError && error.code !== 'unavailable' && error.code !== 'internal') count('rejected');
      // A database outage while routing must make Linear retry, not drop the event.
      if (!(error instanceof AppError)) throw new AppError('unavailable', 'Temporary failure; Linear will deliver again', { cause: error });
      throw error;
    }
  });
  return router;
}
