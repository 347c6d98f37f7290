/**
 * The preview's answer to "which rule fires for this deal": every rule of the deal's pipeline
 * with its trigger stage, and whether the deal is at (or past) that stage now, as the Won job
 * would judge it.
 */
import type { Preview } from '../../../shared/settings-api';
import type { InstallationSettings, PipelineRule } from '../../domain/settings';
import { rulesOfPipeline } from '../../domain/trigger-rules';
import type { KommoLead, KommoPipeline } from '../won/deps';
import { hasReached } from '../won/trigger';

export function previewRules(
  settings: InstallationSettings,
  pipelines: KommoPipeline[],
  lead: KommoLead,
): { shown: NonNullable<Preview['rules']>; firstFiring: PipelineRule | undefined } {
  const pipeline = pipelines.find((p) => p.id === lead.pipeline_id);
  const rules = rulesOfPipeline(settings, lead.pipeline_id);
  const shown = rules.map((r, i) => ({
    rule: r.rule.name ?? `Rule ${i + 1}${r.rule.team ? ` (${r.rule.team})` : ''}`,
    stage: pipeline?._embedded?.statuses.find((s) => s.id === r.statusId)?.name ?? `Stage ${r.statusId}`,
    fires: hasReached(lead, pipeline, r.statusId),
  }));
  return { shown, firstFiring: rules.find((_, i) => shown[i]?.fires)?.rule };
}
