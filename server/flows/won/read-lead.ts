/**
 * The Won job's lead read, telling "Kommo has no such lead" apart from every other failure.
 * Kommo answers a missing record with 404, or with 204 "no content" for an empty result
 * (https://www.kommo.com/developers/content/api_v4/errors/); the client
 * turns both into `kommo_not_found`.
 */
import { isAppError, type AppError } from '../../errors';
import type { KommoLead, WonFlowDeps } from './deps';

export interface MissingLead {
  reason: 'lead_not_found';
  error: AppError;
}

export async function readLead(kommo: Pick<WonFlowDeps['kommo'], 'getLead'>, leadId: number): Promise<{ lead: KommoLead } | { missing: MissingLead }> {
  try {
    return { lead: await kommo.getLead(leadId) };
  } catch (error) {
    if (isAppError(error) && error.code === 'kommo_not_found') return { missing: { reason: 'lead_not_found', error } };
    throw error;
  }
}
