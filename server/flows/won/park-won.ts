/**
 * A won deal that arrives while Kommo refuses the account (unpaid, restricted, token refused):
 * its link is kept, waiting with the reason, and is created once Kommo answers again.
 */
import type { LinkError } from '../../domain/link';
import type { WonFlowDeps } from './deps';
import type { WonRequest } from './on-deal-won';
import { dpClaimTrigger } from './trigger';

export async function parkWonDeal(
  deps: Pick<WonFlowDeps, 'installation' | 'links'>,
  req: Pick<WonRequest, 'leadId' | 'linkKey' | 'origin' | 'requestedAt' | 'dp'>,
  reason: LinkError,
): Promise<void> {
  const existing = await deps.links.find(deps.installation.id, req.leadId, req.linkKey);
  if (existing?.status === 'linked' || existing?.status === 'unlinked') return;
  const link =
    existing ??
    (await deps.links.claim({
      installationId: deps.installation.id,
      leadId: req.leadId,
      linkKey: req.linkKey,
      origin: req.origin,
      requestedAt: req.requestedAt,
      // The action's settings wait with the deal: the run after access returns needs them.
      ...(req.dp ? { trigger: dpClaimTrigger(req.dp) } : {}),
    }));
  await deps.links.markProblem(link.id, 'retrying', reason);
}
