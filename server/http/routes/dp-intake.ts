/**
 * What both Digital Pipeline routes do once they know how to find the installation: read and
 * parse the event, let the route identify the installation from it, queue the Won job of the
 * (deal, stage) with the action's settings, answer at once (Kommo expects a prompt answer,
 * https://developers.kommo.com/docs/widgets-dp). No Kommo or Linear call happens here.
 */
import type { Context } from 'koa';
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import { dpLinkKey, type DpRequest } from '../../flows/won/trigger';
import { DP_LEAD_ELEMENT_TYPE, parseDpEvent, type DpEvent } from '../../kommo/dp-event';
import type { Metrics } from '../../ops/metrics';
import { mediaType, readRawBody } from '../middleware/read-body';

export interface DpIntakeDeps {
  enqueueDp(installationId: string, leadId: number, linkKey: string, dp: DpRequest, requestedAt: Date): Promise<void>;
  metrics: Metrics;
}

/** Counts a refused event; returns the error to throw. */
export function rejectDp(deps: Pick<DpIntakeDeps, 'metrics'>, error: AppError): AppError {
  deps.metrics.webhooks.inc({ source: 'kommo_dp', outcome: 'rejected' });
  return error;
}

/** `identify` throws an AppError (counted as rejected) when the event may not be acted on. */
export async function receiveDpEvent(ctx: Context, deps: DpIntakeDeps, identify: (event: DpEvent) => Promise<Installation>): Promise<void> {
  const receivedAt = new Date();
  const counted = (error: unknown) => (error instanceof AppError ? rejectDp(deps, error) : error);
  const type = mediaType(ctx);
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
    throw rejectDp(deps, new AppError('unsupported_media_type', 'Digital Pipeline events are application/json (or form-encoded)'));
  }
  let installation: Installation;
  let event: DpEvent;
  try {
    event = parseDpEvent(await readRawBody(ctx), type === 'application/x-www-form-urlencoded');
    installation = await identify(event);
  } catch (error) {
    throw counted(error);
  }
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
}
