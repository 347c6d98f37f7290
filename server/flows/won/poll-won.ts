/**
 * The stage poll, the webhooks' safety net: lists the leads that are now in a stage some rule
 * triggers on and hands each (deal, rule) without an issue to the same idempotent Won job.
 * Covers Kommo plans without API webhooks and lost webhooks, within the Kommo rate limit (one
 * list request per page). Won is found by `closed_at` (when the deal was won), the other stages
 * by `updated_at` (a stage change updates the deal).
 */
import { KOMMO_WON_STATUS_ID } from '../../../shared/kommo';
import { rulesFiredAt, triggerStages } from '../../domain/trigger-rules';
import type { KommoLead, PollWonDeps } from './deps';

const OVERLAP_SECONDS = 120;
const FIRST_LOOKBACK_SECONDS = 15 * 60;
const MAX_PAGES = 20;

type Stage = { pipelineId: number; statusId: number };

export async function pollWon(deps: PollWonDeps): Promise<{ found: number; queued: number }> {
  const nowSeconds = Math.floor((deps.now ?? Date.now)() / 1000);
  const from = (deps.cursor ?? nowSeconds - FIRST_LOOKBACK_SECONDS) - OVERLAP_SECONDS;
  const settings = deps.installation.settings;
  const stages = triggerStages(settings, (await deps.referenceData.pipelines()).map((p) => p.id));
  if (stages.length === 0) return { found: 0, queued: 0 };
  const won = stages.filter((s) => s.statusId === KOMMO_WON_STATUS_ID);
  const open = stages.filter((s) => s.statusId !== KOMMO_WON_STATUS_ID);
  let found = 0;
  let queued = 0;
  let newest = deps.cursor ?? from + OVERLAP_SECONDS;
  const visit = async (lead: KommoLead, changedAt: number | null | undefined) => {
    const fired = rulesFiredAt(settings, lead.pipeline_id, lead.status_id);
    if (fired.length === 0) return;
    found++;
    newest = Math.max(newest, changedAt ?? 0);
    for (const { key } of fired) {
      const link = await deps.links.find(deps.installation.id, lead.id, key);
      if (link?.status === 'linked' || link?.status === 'unlinked') continue;
      await deps.enqueueWon(lead.id, key);
      queued++;
    }
  };
  if (won.length > 0) await listPages(deps, query('closed_at', from, won), (lead) => visit(lead, lead.closed_at));
  if (open.length > 0) await listPages(deps, query('updated_at', from, open), (lead) => visit(lead, lead.updated_at));
  await deps.saveCursor(Math.min(newest, nowSeconds));
  return { found, queued };
}

function query(since: 'closed_at' | 'updated_at', from: number, stages: Stage[]): Record<string, string | number> {
  const q: Record<string, string | number> = { [`filter[${since}][from]`]: from, 'order[id]': 'asc' };
  stages.forEach((s, i) => {
    q[`filter[statuses][${i}][pipeline_id]`] = s.pipelineId;
    q[`filter[statuses][${i}][status_id]`] = s.statusId;
  });
  return q;
}

async function listPages(deps: PollWonDeps, q: Record<string, string | number>, visit: (lead: KommoLead) => Promise<void>): Promise<void> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const leads = await deps.kommo.listLeads({ ...q, page });
    for (const lead of leads) await visit(lead);
    if (leads.length < 250) break;
  }
}
