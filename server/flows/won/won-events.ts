/**
 * Which webhook events may fire a rule: a status change, or a creation straight into a stage,
 * that some rule of the deal's pipeline triggers on (Won unless the rule names another stage).
 * The job confirms by re-reading the lead.
 */
import type { InstallationSettings } from '../../domain/settings';
import { rulesFiredAt, rulesFiredAtAnyPipeline } from '../../domain/trigger-rules';
import type { LeadEvent } from './deps';

/** One Won job to queue: the deal and the link (rule) it may fill. */
export interface TriggeredLink {
  leadId: number;
  linkKey: string;
}

export function triggeredLinks(events: LeadEvent[], settings: InstallationSettings): TriggeredLink[] {
  const seen = new Set<string>();
  const out: TriggeredLink[] = [];
  for (const e of events) {
    if ((e.kind !== 'status' && e.kind !== 'add') || e.statusId === undefined) continue;
    const rules = e.pipelineId === undefined ? rulesFiredAtAnyPipeline(settings, e.statusId) : rulesFiredAt(settings, e.pipelineId, e.statusId);
    for (const { key } of rules) {
      const id = `${e.leadId}:${key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ leadId: e.leadId, linkKey: key });
    }
  }
  return out;
}

/** The deals of `triggeredLinks`, once each, in order. */
export function wonLeadIds(events: LeadEvent[], settings: InstallationSettings): number[] {
  return [...new Set(triggeredLinks(events, settings).map((t) => t.leadId))];
}
