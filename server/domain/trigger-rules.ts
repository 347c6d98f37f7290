/**
 * Which rules a stage change fires, and the link key each one fills. A deal gets at most one
 * issue per rule: the key is part of the link row's unique key (installation, lead, link key).
 *
 * A pipeline with rules of its own follows only those; any other pipeline follows the default
 * rules (no `pipelineId`) when `pipelines` is 'all'. A rule fires on its `statusId`, Won (142)
 * when absent. Rules with an id fill `rule:<id>`. A rule without one (saved before trigger
 * stages) keeps the key every deal's automatic issue had before, `won`, so a deal linked then is
 * never linked again; a second id-less rule of the same pipeline gets a positional key.
 */
import { KOMMO_WON_STATUS_ID } from '../../shared/kommo';
import { WON_LINK_KEY } from './link';
import type { InstallationSettings, PipelineRule } from './settings';

export interface KeyedRule {
  rule: PipelineRule;
  /** The link key of the issue this rule makes for a deal. */
  key: string;
  /** The stage it fires on. */
  statusId: number;
}

const IMPLICIT_RULE: PipelineRule = { labels: [] };

export function ruleStatusId(rule: Pick<PipelineRule, 'statusId'>): number {
  return rule.statusId ?? KOMMO_WON_STATUS_ID;
}

/** Keys for one group of rules (one pipeline's own rules, or the default rules). */
function keyed(rules: PipelineRule[], group: string): KeyedRule[] {
  let idless = 0;
  return rules.map((rule) => {
    const key = rule.id ? `rule:${rule.id}` : idless++ === 0 ? WON_LINK_KEY : `rule:${group}#${idless}`;
    return { rule, key, statusId: ruleStatusId(rule) };
  });
}

/** Every rule that applies to deals of this pipeline, whatever the stage. */
export function rulesOfPipeline(settings: InstallationSettings, pipelineId: number): KeyedRule[] {
  const own = settings.rules.filter((r) => r.pipelineId === pipelineId);
  if (own.length > 0) return keyed(own, `p${pipelineId}`);
  return rulesOfDefault(settings);
}

/** The rules a deal entering `statusId` of `pipelineId` fires. */
export function rulesFiredAt(settings: InstallationSettings, pipelineId: number, statusId: number): KeyedRule[] {
  return rulesOfPipeline(settings, pipelineId).filter((r) => r.statusId === statusId);
}

/**
 * The rules that may fire when the pipeline is not known (a webhook without `pipeline_id`):
 * every rule on that stage in any pipeline. The job checks the deal's real pipeline.
 */
export function rulesFiredAtAnyPipeline(settings: InstallationSettings, statusId: number): KeyedRule[] {
  const pipelines = [...new Set(settings.rules.flatMap((r) => (r.pipelineId === undefined ? [] : [r.pipelineId])))];
  const all = [...pipelines.flatMap((p) => rulesOfPipeline(settings, p)), ...rulesOfDefault(settings)];
  return all.filter((r) => r.statusId === statusId);
}

function rulesOfDefault(settings: InstallationSettings): KeyedRule[] {
  if (settings.pipelines === 'listed') return [];
  const defaults = settings.rules.filter((r) => r.pipelineId === undefined);
  return keyed(defaults.length > 0 ? defaults : [IMPLICIT_RULE], 'any');
}

/** The rule of this pipeline that fills `key`, if any still does. */
export function ruleByKey(settings: InstallationSettings, pipelineId: number, key: string): KeyedRule | undefined {
  return rulesOfPipeline(settings, pipelineId).find((r) => r.key === key);
}

/** Every (pipeline, stage) some rule fires on, for the stage poll; `pipelineIds` are Kommo's. */
export function triggerStages(settings: InstallationSettings, pipelineIds: number[]): Array<{ pipelineId: number; statusId: number }> {
  return pipelineIds.flatMap((pipelineId) => [...new Set(rulesOfPipeline(settings, pipelineId).map((r) => r.statusId))].map((statusId) => ({ pipelineId, statusId })));
}
