/**
 * Digital Pipeline intake: Kommo posts the event of a "Create Linear issue" action (placed on a
 * stage in Kommo's pipeline editor) to the widget's `dp.webhook_url`. Check the URL secret and
 * the account, parse the event, queue the Won job of the (deal, stage) with the action's
 * settings, answer at once: Kommo expects a prompt answer
 * (https://developers.kommo.com/docs/widgets-dp). No Kommo or Linear call happens here.
 */
import type Router from '@koa/router';
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import { dpLinkKey, type DpRequest } from '../../flows/won/trigger';
import { DP_LEAD_ELEMENT_TYPE, parseDpEvent, type DpEvent } from '../../kommo/dp-event';
import { accountMismatch } from '../../kommo/webhook-account';
import type { Metrics } from '../../ops/metrics';
import { mediaType, readRawBody } from '../middleware/read-body';
import { createRouter } from '../router';

export interface KommoDpWebhookDeps {
  findBySecret(secret: string): Promise<Installation | undefined>;
  enqueueDp(installationId: string, leadId: number, linkKey: string, dp: DpRequest, requestedAt: Date): Promise<void>;
  metrics: Metrics;
}

export function kommoDpWebhookRoutes(deps: KommoDpWebhookDeps): Router {
  const router = createRouter();
  router.post('/webhooks/kommo/:secret/dp', async (ctx) => {
    const receivedAt = new Date();
    const reject = (error: AppError) => {
      deps.metrics.webhooks.inc({ source: 'kommo_dp', outcome: 'rejected' });
      return error;
    };
    const installation = await deps.findBySecret(ctx.params.secret ?? '');
    if (!installation) throw reject(new AppError('unauthorized', 'Unknown webhook URL: copy the URL from the integration settings'));
    const type = mediaType(ctx);
    if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
      throw reject(new AppError('unsupported_media_type', 'Digital Pipeline events are application/json (or form-encoded)'));
    }
    const raw = await readRawBody(ctx).catch((e: unknown) => Promise.reject(reject(e as AppError)));
    let event: DpEvent;
    try {
      event = parseDpEvent(raw, type === 'application/x-www-form-urlencoded');
    } catch (error) {
      throw error instanceof AppError ? reject(error) : error;
    }
    const mismatch = accountMismatch(installation, { ...event.account, domain: undefined });
    if (mismatch) throw reject(new AppError('forbidden', mismatch));
    // An action placed in a customers' pipeline (or on another entity) is not ours to act on.
    const actOn = installation.status === 'active' && event.elementType === DP_LEAD_ELEMENT_TYPE;
    if (actOn) {
      const dp: DpRequest = { pipelineId: event.pipelineId, statusId: event.statusId, target: event.target };
      try {
        await deps.enqueueDp(installation.id, event.leadId, dpLinkKey(event.pipelineId, event.statusId), dp, receivedAt);
      } catch (error) {
        throw new AppError('unavailable', 'Could not queue the deal; try again shortly', { cause: error });
      }
    }
    deps.metrics.webhooks.inc({ source: 'kommo_dp', outcome: actOn ? 'won' : 'ignored' });
    ctx.status = 200;
    ctx.body = { ok: true, queued: actOn ? 1 : 0 };
  });
  return router;
}
