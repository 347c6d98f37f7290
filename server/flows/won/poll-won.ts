/**
 * The Won safety net: lists leads that entered the won status since the cursor and hands each
 * unlinked one to the same idempotent Won job. Covers Kommo plans without API webhooks and lost
 * webhooks, within the Kommo rate limit (one list request per page).
 */
import { KOMMO_WON_STATUS_ID } from '../../../shared/kommo';
import { WON_LINK_KEY } from '../../domain/link';
import { ruleForPipeline } from '../../domain/settings';
import type { PollWonDeps } from './deps';

const OVERLAP_SECONDS = 120;
const FIRST_LOOKBACK_SECONDS = 15 * 60;
const MAX_PAGES = 20;

export async function pollWon(deps: PollWonDeps): Promise<{ found: number; queued: number }> {
  const nowSeconds = Math.floor((deps.now ?? Date.now)() / 1000);
  const from = (deps.cursor ?? nowSeconds - FIRST_LOOKBACK_SECONDS) - OVERLAP_SECONDS;
  const pipelines = (await deps.referenceData.pipelines()).filter((p) => ruleForPipeline(deps.installation.settings, p.id));
  if (pipelines.length === 0) return { found: 0, queued: 0 };
  const query: Record<string, string | number> = { 'filter[closed_at][from]': from, 'order[id]': 'asc' };
  pipelines.forEach((p, i) => {
    query[`filter[statuses][${i}][pipeline_id]`] = p.id;
    query[`filter[statuses][${i}][status_id]`] = KOMMO_WON_STATUS_ID;
  });
  let found = 0;
  let queued = 0;
  let newest = deps.cursor ?? from + OVERLAP_SECONDS;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const leads = await deps.kommo.listLeads({ ...query, page });
    for (const lead of leads) {
      if (lead.status_id !== KOMMO_WON_STATUS_ID) continue;
      found++;
      newest = Math.max(newest, lead.closed_at ?? 0);
      const link = await deps.links.find(deps.installation.id, lead.id, WON_LINK_KEY);
      if (link?.status === 'linked' || link?.status === 'unlinked') continue;
      await deps.enqueueWon(lead.id);
      queued++;
    }
    if (leads.length < 250) break;
  }
  await deps.saveCursor(Math.min(newest, nowSeconds));
  return { found, queued };
}
