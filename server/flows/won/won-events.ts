/**
 * Which webhook events may mean "this deal was won": a status change or a creation straight into
 * the won status, in a pipeline that creates issues. The job confirms by re-reading the lead.
 */
import { KOMMO_WON_STATUS_ID } from '../../../shared/kommo';
import { ruleForPipeline, type InstallationSettings } from '../../domain/settings';
import type { LeadEvent } from './deps';

export function wonLeadIds(events: LeadEvent[], settings: InstallationSettings): number[] {
  const ids = new Set<number>();
  for (const e of events) {
    if ((e.kind !== 'status' && e.kind !== 'add') || e.statusId !== KOMMO_WON_STATUS_ID) continue;
    if (e.pipelineId !== undefined && !ruleForPipeline(settings, e.pipelineId)) continue;
    ids.add(e.leadId);
  }
  return [...ids];
}
