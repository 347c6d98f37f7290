/**
 * A won deal that arrives while Kommo refuses the account (unpaid, restricted, token refused):
 * its link is kept, waiting with the reason, and is created once Kommo answers again.
 */
import type { LinkError } from '../../domain/link';
import type { WonFlowDeps } from './deps';
import type { WonRequest } from './on-deal-won';

export async function parkWonDeal(
  deps: Pick<WonFlowDeps, 'installation' | 'links'>,
  req: Pick<WonRequest, 'leadId' | 'linkKey' | 'origin' | 'requestedAt'>,
  reason: LinkError,
): Promise<void> {
  const existing = await deps.links.find(deps.installation.id, req.leadId, req.linkKey);
  if (existing?.status === 'linked' || existing?.status === 'unlinked') return;
  const link =
    existing ??
    (await deps.links.claim({ installationId: deps.installation.id, leadId: req.leadId, linkKey: req.linkKey, origin: req.origin, requestedAt: req.requestedAt }));
  await deps.links.markProblem(link.id, 'retrying', reason);
}
