/**
 * Kommo webhook intake: check the URL secret and the account, pick the won deals, enqueue one
 * job per deal, answer. No Kommo or Linear call happens here, and nothing is written for
 * deliveries that are not about a won deal. A malformed event is skipped and reported; the good
 * events of the same delivery are still queued (Kommo does not resend a delivery refused with a 4xx).
 */
import type Router from '@koa/router';
import { createRouter } from '../router';
import { AppError } from '../../errors';
import type { Installation } from '../../domain/installation';
import { notesForLinear } from '../../flows/comments/note-events';
import { triggeredLinks, type TriggeredLink } from '../../flows/won/won-events';
import { parseKommoWebhook, type KommoDelivery } from '../../kommo/webhook';
import { accountMismatch } from '../../kommo/webhook-account';
import type { Logger } from '../../log';
import type { Metrics } from '../../ops/metrics';
import { mediaType, readRawBody } from '../middleware/read-body';

export interface KommoWebhookDeps {
  /** The installation of a webhook URL secret (cached: the intake costs no database round trip). */
  findBySecret(secret: string): Promise<Installation | undefined>;
  /**
   * Queues the fired rules' Won jobs (`linkKey`: the rule, server/domain/trigger-rules.ts);
   * `settled`: rules already linked (or unlinked) for their deal, answered without a job.
   */
  enqueueWon: (installationId: string, fired: TriggeredLink[], requestedAt: Date) => Promise<{ queued: number; settled: number }>;
  /** Comments both ways: a deal note starting with the prefix, checked again by its job. */
  enqueueNote: (installationId: string, leadId: number, noteId: number) => Promise<void>;
  /** Linear Customers: an edited deal (amount, company) updates its customer; the job checks for a linked issue. */
  enqueueCustomer?: (installationId: string, leadId: number) => Promise<void>;
  metrics: Metrics;
  log: Logger;
  /** A verified delivery reached this installation (the setup checklist's "last delivery"; never fails). */
  seen?: (installationId: string) => void;
}

/** The few first skipped events are enough to find the cause; the counts say how many. */
const SKIPPED_LOGGED = 5;

export function kommoWebhookRoutes(deps: KommoWebhookDeps): Router {
  const router = createRouter();
  const reportSkipped = (installationId: string, delivery: KommoDelivery) => {
    const { malformed, overCap } = delivery;
    if (malformed.length === 0 && overCap === 0) return;
    if (malformed.length > 0) deps.metrics.webhookEventsSkipped.inc({ source: 'kommo', reason: 'malformed' }, malformed.length);
    if (overCap > 0) deps.metrics.webhookEventsSkipped.inc({ source: 'kommo', reason: 'over_cap' }, overCap);
    deps.log.warn(
      { installationId, malformed: malformed.length, overCap, first: malformed.slice(0, SKIPPED_LOGGED).map((m) => `${m.at} ${m.reason}`) },
      'Kommo webhook: events skipped, the others were kept',
    );
  };

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
    const raw = await readRawBody(ctx).catch((e: unknown) => Promise.reject(reject(e as AppError)));
    let delivery: KommoDelivery;
    try {
      delivery = parseKommoWebhook(raw);
    } catch (error) {
      throw error instanceof AppError ? reject(error) : error;
    }
    const mismatch = accountMismatch(installation, delivery.account);
    if (mismatch) throw reject(new AppError('forbidden', mismatch));
    deps.seen?.(installation.id);
    reportSkipped(installation.id, delivery);
    const fired = installation.status === 'active' ? triggeredLinks(delivery.events, installation.settings) : [];
    const notes = installation.status === 'active' ? notesForLinear(delivery.notes, installation.settings) : [];
    const edited = installation.status === 'active' && installation.settings.customers.enabled ? [...new Set(delivery.events.filter((e) => e.kind === 'update').map((e) => e.leadId))] : [];
    let won = { queued: 0, settled: 0 };
    try {
      if (fired.length > 0) won = await deps.enqueueWon(installation.id, fired, receivedAt);
      for (const note of notes) await deps.enqueueNote(installation.id, note.leadId, note.noteId);
      for (const leadId of edited) await deps.enqueueCustomer?.(installation.id, leadId);
    } catch (error) {
      // Answer 5xx so Kommo delivers again; nothing was lost.
      throw new AppError('unavailable', 'Could not queue the won deal; try again shortly', { cause: error });
    }
    deps.metrics.webhooks.inc({ source: 'kommo', outcome: fired.length > 0 ? 'won' : 'ignored' });
    ctx.status = 200;
    ctx.body = { ok: true, queued: won.queued, ...(won.settled > 0 ? { alreadyLinked: won.settled } : {}), ...(notes.length > 0 ? { comments: notes.length } : {}), ...(delivery.malformed.length > 0 ? { skipped: delivery.malformed.length } : {}), ...(delivery.overCap > 0 ? { overCap: delivery.overCap } : {}) };
  });
  return router;
}
