/**
 * What fires for a deal, checked against the deal as Kommo says it is now (never the webhook's
 * word): the rule behind a link key or a Digital Pipeline action, the stage it fires on, and
 * where the issue goes (the action's settings over the rule's).
 */
import { KOMMO_LOST_STATUS_ID, KOMMO_WON_STATUS_ID } from '../../../shared/kommo';
import type { LinkTrigger, TargetOverride } from '../../domain/link';
import { ruleForPipeline, type InstallationSettings, type PipelineRule } from '../../domain/settings';
import { ruleByKey } from '../../domain/trigger-rules';
import type { KommoLead, KommoPipeline } from './deps';

/** A Digital Pipeline action's event, as the intake read it. */
export interface DpRequest {
  pipelineId: number;
  statusId: number;
  target: TargetOverride;
}

/** Where the issue goes: the rule (with the action's overrides applied) and a priority override. */
export interface IssueTarget {
  rule: PipelineRule;
  priority?: number;
}

export interface Firing {
  target: IssueTarget;
  trigger: LinkTrigger;
}

export type NotFiring = 'not-won' | 'pipeline-not-configured';

/** The link key of a Digital Pipeline action's issue: one per deal and stage the action sits on. */
export function dpLinkKey(pipelineId: number, statusId: number): string {
  return `dp:${pipelineId}:${statusId}`;
}

/** The action of a link made by one (its trigger keeps the action's settings for later runs). */
export function dpOfTrigger(trigger: LinkTrigger | null | undefined): DpRequest | undefined {
  return trigger?.source === 'dp' ? { pipelineId: trigger.pipelineId, statusId: trigger.statusId, target: trigger.target ?? {} } : undefined;
}

/** A Digital Pipeline link's trigger before the lead is read (the names come with the issue). */
export function dpClaimTrigger(dp: DpRequest): LinkTrigger {
  return { source: 'dp', ruleName: null, pipelineId: dp.pipelineId, statusId: dp.statusId, pipelineName: null, stageName: null, target: dp.target };
}

export function withOverride(rule: PipelineRule, target: TargetOverride): IssueTarget {
  return {
    rule: {
      ...rule,
      ...(target.team ? { team: target.team } : {}),
      ...(target.project ? { project: target.project } : {}),
      ...(target.state ? { state: target.state } : {}),
      ...(target.labels && target.labels.length > 0 ? { labels: target.labels } : {}),
    },
    ...(target.priority !== undefined ? { priority: target.priority } : {}),
  };
}

/** The pipeline's stages in Kommo's order (by `sort`, Won and Lost last as Kommo keeps them). */
export function stageOrder(pipeline: KommoPipeline | undefined): number[] {
  const statuses = [...(pipeline?._embedded?.statuses ?? [])];
  return statuses.sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0)).map((s) => s.id);
}

/**
 * Is the deal at `statusId` now, or past it? A deal moved on quickly ("Contract signed", then
 * Won a minute later) still gets the first stage's issue; a lost deal gets none. Won itself
 * must be the deal's status now, as before trigger stages.
 */
export function hasReached(lead: KommoLead, pipeline: KommoPipeline | undefined, statusId: number): boolean {
  if (lead.pipeline_id !== pipeline?.id && statusId !== KOMMO_WON_STATUS_ID) return false;
  if (lead.status_id === statusId) return true;
  if (statusId === KOMMO_WON_STATUS_ID || lead.status_id === KOMMO_LOST_STATUS_ID) return false;
  const order = stageOrder(pipeline);
  const at = order.indexOf(lead.status_id);
  const wanted = order.indexOf(statusId);
  return wanted >= 0 && (lead.status_id === KOMMO_WON_STATUS_ID || (at >= 0 && at > wanted));
}

function names(pipelines: KommoPipeline[], pipelineId: number, statusId: number): Pick<LinkTrigger, 'pipelineName' | 'stageName'> {
  const pipeline = pipelines.find((p) => p.id === pipelineId);
  return { pipelineName: pipeline?.name ?? null, stageName: pipeline?._embedded?.statuses.find((s) => s.id === statusId)?.name ?? null };
}

/** What fires for this link of the deal, or why nothing does. */
export function firingFor(
  settings: InstallationSettings,
  pipelines: KommoPipeline[],
  lead: KommoLead,
  linkKey: string,
  dp: DpRequest | undefined,
): Firing | NotFiring {
  const pipeline = pipelines.find((p) => p.id === lead.pipeline_id);
  if (dp) {
    if (lead.pipeline_id !== dp.pipelineId || !hasReached(lead, pipeline, dp.statusId)) return 'not-won';
    // The action sits in the pipeline on purpose: it fires even where no rule does.
    const base = ruleForPipeline(settings, lead.pipeline_id) ?? { labels: [] };
    const trigger: LinkTrigger = { source: 'dp', ruleName: null, pipelineId: dp.pipelineId, statusId: dp.statusId, ...names(pipelines, dp.pipelineId, dp.statusId), target: dp.target };
    return { target: withOverride(base, dp.target), trigger };
  }
  const keyed = ruleByKey(settings, lead.pipeline_id, linkKey);
  if (!keyed) return 'pipeline-not-configured';
  if (!hasReached(lead, pipeline, keyed.statusId)) return 'not-won';
  const trigger: LinkTrigger = { source: 'stage', ruleName: keyed.rule.name ?? null, pipelineId: lead.pipeline_id, statusId: keyed.statusId, ...names(pipelines, lead.pipeline_id, keyed.statusId) };
  return { target: { rule: keyed.rule }, trigger };
}

/** Where an issue made from the card (or its Retry) goes: its rule or action if it has one, else the pipeline's main rule. */
export function cardTarget(settings: InstallationSettings, lead: KommoLead, linkKey: string, dp: DpRequest | undefined): IssueTarget {
  const base = ruleForPipeline(settings, lead.pipeline_id) ?? { labels: [] };
  if (dp) return withOverride(base, dp.target);
  return { rule: ruleByKey(settings, lead.pipeline_id, linkKey)?.rule ?? base };
}
