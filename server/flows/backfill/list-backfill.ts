/**
 * Finds the deals a backfill gives issues to: deals now at a rule's trigger stage or past it,
 * in a date range, with no link yet for that rule (a deal linked before is left alone). Won
 * deals are found by when they were won (`closed_at`), deals at other stages by `updated_at`,
 * as the stage poll does; one Kommo list request per page, through the installation's limiter.
 */
import { KOMMO_LOST_STATUS_ID, KOMMO_WON_STATUS_ID } from '../../../shared/kommo';
import type { BackfillCursor, BackfillItem, BackfillRange } from '../../domain/backfill';
import type { Installation } from '../../domain/installation';
import { rulesOfPipeline } from '../../domain/trigger-rules';
import type { KommoLead, KommoPipeline } from '../won/deps';
import { hasReached, stageOrder } from '../won/trigger';
import type { KommoPort, LinkStore, ReferenceDataPort } from '../ports';

/** Kommo's largest page (the client asks for it). */
const PAGE_SIZE = 250;

export interface BackfillListDeps {
  installation: Pick<Installation, 'id' | 'settings'>;
  kommo: Pick<KommoPort, 'listLeads'>;
  referenceData: Pick<ReferenceDataPort, 'pipelines'>;
  links: Pick<LinkStore, 'find'>;
}

/** A found item with what the dry run shows of it. */
export interface BackfillCandidate extends BackfillItem {
  name: string;
  pipelineId: number;
  statusId: number;
}

type Stage = { pipelineId: number; statusId: number };

/** The stages whose deals may fire a rule: Won, and every open stage from the earliest rule stage on. */
function stagesToList(installation: BackfillListDeps['installation'], pipelines: KommoPipeline[]): { won: Stage[]; open: Stage[] } {
  const won: Stage[] = [];
  const open: Stage[] = [];
  for (const pipeline of pipelines) {
    const rules = rulesOfPipeline(installation.settings, pipeline.id);
    if (rules.length === 0) continue;
    won.push({ pipelineId: pipeline.id, statusId: KOMMO_WON_STATUS_ID });
    const order = stageOrder(pipeline).filter((s) => s !== KOMMO_WON_STATUS_ID && s !== KOMMO_LOST_STATUS_ID);
    const first = Math.min(...rules.map((r) => order.indexOf(r.statusId)).filter((i) => i >= 0));
    if (Number.isFinite(first)) for (const statusId of order.slice(first)) open.push({ pipelineId: pipeline.id, statusId });
  }
  return { won, open };
}

function query(phase: BackfillCursor['phase'], range: BackfillRange, stages: Stage[]): Record<string, string | number> {
  const field = phase === 'won' ? 'closed_at' : 'updated_at';
  const q: Record<string, string | number> = { [`filter[${field}][from]`]: Math.floor(range.since.getTime() / 1000), 'order[id]': 'asc' };
  if (range.until) q[`filter[${field}][to]`] = Math.floor(range.until.getTime() / 1000);
  stages.forEach((s, i) => {
    q[`filter[statuses][${i}][pipeline_id]`] = s.pipelineId;
    q[`filter[statuses][${i}][status_id]`] = s.statusId;
  });
  return q;
}

async function candidatesOf(deps: BackfillListDeps, pipelines: KommoPipeline[], lead: KommoLead): Promise<BackfillCandidate[]> {
  const pipeline = pipelines.find((p) => p.id === lead.pipeline_id);
  const out: BackfillCandidate[] = [];
  for (const rule of rulesOfPipeline(deps.installation.settings, lead.pipeline_id)) {
    if (!hasReached(lead, pipeline, rule.statusId)) continue;
    if (await deps.links.find(deps.installation.id, lead.id, rule.key)) continue;
    out.push({ leadId: lead.id, linkKey: rule.key, name: lead.name, pipelineId: lead.pipeline_id, statusId: lead.status_id });
  }
  return out;
}

/** One page of the listing at `cursor`: its candidates and the next cursor (null after the last page). */
export async function listBackfillPage(deps: BackfillListDeps, range: BackfillRange, cursor: BackfillCursor): Promise<{ items: BackfillCandidate[]; next: BackfillCursor | null }> {
  const pipelines = await deps.referenceData.pipelines();
  const stages = stagesToList(deps.installation, pipelines);
  const phaseStages = cursor.phase === 'won' ? stages.won : stages.open;
  const leads = phaseStages.length === 0 ? [] : await deps.kommo.listLeads({ ...query(cursor.phase, range, phaseStages), page: cursor.page });
  const items: BackfillCandidate[] = [];
  // A deal Won within the range may also show up by `updated_at`: the open phase lists only open stages.
  for (const lead of leads) items.push(...(await candidatesOf(deps, pipelines, lead)));
  const more = leads.length >= PAGE_SIZE;
  const next: BackfillCursor | null = more ? { phase: cursor.phase, page: cursor.page + 1 } : cursor.phase === 'won' ? { phase: 'open', page: 1 } : null;
  return { items, next };
}

/** Every page: how many issues a backfill of the range would create, and the first `sample` of them. */
export async function dryRunBackfill(deps: BackfillListDeps, range: BackfillRange, sample = 20): Promise<{ count: number; first: BackfillCandidate[] }> {
  let cursor: BackfillCursor | null = { phase: 'won', page: 1 };
  let count = 0;
  const first: BackfillCandidate[] = [];
  while (cursor) {
    const page = await listBackfillPage(deps, range, cursor);
    count += page.items.length;
    first.push(...page.items.slice(0, Math.max(0, sample - first.length)));
    cursor = page.next;
  }
  return { count, first };
}
