/**
 * Kommo webhook intake: check the URL secret and the account, pick the won deals, enqueue one
 * job per deal, answer. No Kommo or Linear call happens here, and nothing is written for
 * deliveries that are not about a won deal.
 */
import type Router from '@koa/router';
import { createRouter } from '../router';
import { AppError } from '../../errors';
import type { Installation } from '../../domain/installation';
import { wonLeadIds } from '../../flows/won/won-events';
import { parseKommoWebhook } from '../../kommo/webhook';
import type { Metrics } from '../../ops/metrics';
import { mediaType, readRawBody } from '../middleware/read-body';

export interface KommoWebhookDeps {
  /** The installation of a webhook URL secret (cached: the intake costs no database round trip). */
  findBySecret(secret: string): Promise<Installation | undefined>;
  enqueueWon: (installationId: string, leadId: number, requestedAt: Date) => Promise<void>;
  metrics: Metrics;
}

export function kommoWebhookRoutes(deps: KommoWebhookDeps): Router {
  const router = createRouter();
  router.post('/webhooks/kommo/:secret', async (ctx) => {
    const receivedAt = new Date();
    const reject = (error: AppError) => {
      deps.metrics.webhooks.inc({ source: 'kommo', outcome: 'rejected' });
      return error;
    };
    const installation = await deps.findBySecret(ctx.params.secret ?? '');
    if (!installation) throw reject(new AppError('unauthorized', 'Unknown webhook URL: copy the URL from the integration settings'));
    if (mediaType(ctx) !== 'application/x-www-form-urlencoded') {
      throw reject(new AppError('unsupported_media_type', 'Kommo webhooks are application/x-www-form-urlencoded'));
    }
    const delivery = parseKommoWebhook(await readRawBody(ctx).catch((e: unknown) => Promise.reject(reject(e as AppError))));
    if (installation.kommoAccountId !== null && delivery.accountId !== installation.kommoAccountId) {
      throw reject(new AppError('forbidden', `Account ${delivery.accountId} does not own this webhook URL`));
    }
    const leadIds = installation.status === 'active' ? wonLeadIds(delivery.events, installation.settings) : [];
    try {
      for (const leadId of leadIds) await deps.enqueueWon(installation.id, leadId, receivedAt);
    } catch (error) {
      // Answer 5xx so Kommo delivers again; nothing was lost.
      throw new AppError('unavailable', 'Could not queue the won deal; try again shortly', { cause: error });
    }
    deps.metrics.webhooks.inc({ source: 'kommo', outcome: leadIds.length > 0 ? 'won' : 'ignored' });
    ctx.status = 200;
    ctx.body = { ok: true, queued: leadIds.length };
  });
  return router;
}
