/** The job behind a won deal (from the webhook, the Won poll or the widget's Create button). */
import { z } from 'zod';
import { bindDb } from '../db/bind';
import type { Db } from '../db/create-db';
import type { InstallationsRepo } from '../db/repos/installations';
import { linksRepo } from '../db/repos/links';
import type { Logger } from '../log';
import type { Metrics } from '../ops/metrics';
import { WON_LINK_KEY, onDealWon } from '../sync/on-deal-won';
import type { Tenant } from '../tenants';
import type { Installation } from '../db/repos/installations';
import type { JobDefinition } from './queue';

export const KOMMO_DEAL_WON = 'kommo-deal-won';

export const WonJobSchema = z.object({
  installationId: z.string().uuid(),
  leadId: z.number().int().positive(),
  origin: z.enum(['won', 'widget']),
  linkKey: z.string().min(1).max(128).default(WON_LINK_KEY),
  requestedAt: z.string().datetime(),
});
export type WonJob = z.infer<typeof WonJobSchema>;

/** One job per lead and link at a time: duplicate deliveries collapse onto this key. */
export function wonJobKey(installationId: string, leadId: number, linkKey: string = WON_LINK_KEY): string {
  return `won:${installationId}:${leadId}:${linkKey}`;
}

export interface WonJobDeps {
  db: Db;
  installations: InstallationsRepo;
  tenantFor: (installation: Installation) => Tenant;
  metrics: Metrics;
  log: Logger;
  leaseSeconds: number;
}

export function kommoDealWonJob(deps: WonJobDeps): JobDefinition<typeof WonJobSchema> {
  return {
    name: KOMMO_DEAL_WON,
    schema: WonJobSchema,
    async handle(data, context) {
      const log = deps.log.child({ installationId: data.installationId, leadId: data.leadId, jobId: context.jobId });
      const installation = await deps.installations.findById(deps.db, data.installationId);
      if (!installation || installation.status !== 'active') {
        log.warn('installation missing or disabled; won deal ignored');
        return;
      }
      const outcome = await onDealWon(
        {
          installation,
          links: bindDb(linksRepo, deps.db),
          ...deps.tenantFor(installation),
          log,
          observeLatency: (ms) => deps.metrics.wonToIssueSeconds.observe(ms / 1000),
        },
        {
          leadId: data.leadId,
          linkKey: data.linkKey,
          origin: data.origin,
          requestedAt: new Date(data.requestedAt),
          finalAttempt: context.finalAttempt,
          runId: context.jobId,
          leaseSeconds: deps.leaseSeconds,
        },
      );
      if (outcome.kind === 'failed') log.warn({ code: outcome.error.code, reason: outcome.error.message }, 'won deal could not be linked');
      else log.info({ outcome: outcome.kind, ...(outcome.kind === 'skipped' ? { reason: outcome.reason } : {}) }, 'won deal processed');
    },
  };
}
