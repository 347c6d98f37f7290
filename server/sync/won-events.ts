/**
 * Which webhook events may mean "this deal was won": a status change or a creation straight into
 * the won status, in a pipeline that creates issues. The job confirms by re-reading the lead.
 */
import { KOMMO_WON_STATUS_ID } from '../../shared/kommo';
import type { KommoLeadEvent } from '../kommo/webhook';
import { ruleForPipeline, type InstallationSettings } from './settings';

export function wonLeadIds(events: KommoLeadEvent[], settings: InstallationSettings): number[] {
  const ids = new Set<number>();
  for (const e of events) {
    if (e.kind === 'update' || e.statusId !== KOMMO_WON_STATUS_ID) continue;
    if (e.pipelineId !== undefined && !ruleForPipeline(settings, e.pipelineId)) continue;
    ids.add(e.leadId);
  }
  return [...ids];
}
