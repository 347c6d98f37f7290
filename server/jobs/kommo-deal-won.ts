/** The job behind a won deal (from the webhook, the Won poll or the widget's Create button). */
import { z } from 'zod';
import type { DbOrTrx } from '../db/create-db';
import { linksRepo } from '../db/repos/links';
import { rejectedWonLeadsRepo } from '../db/repos/rejected-won-leads';
import { WON_LINK_KEY } from '../domain/link';
import { AppError, KOMMO_ACCESS_CODES } from '../errors';
import { onDealWon, type WonOutcome } from '../flows/won/on-deal-won';
import { parkWonDeal } from '../flows/won/park-won';
import type { Metrics } from '../ops/metrics';
import { reconnectNeeded } from '../linear/tokens';
import { loadInstallationContext, recordKommoRefusal, type InstallationContext, type InstallationJobDeps } from './installation-context';
import type { JobDefinition, Queue } from './queue';

export const KOMMO_DEAL_WON = 'kommo-deal-won';

export const WonJobSchema = z.object({
  installationId: z.string().uuid(),
  leadId: z.number().int().positive(),
  origin: z.enum(['won', 'widget']),
  linkKey: z.string().min(1).max(128).default(WON_LINK_KEY),
  requestedAt: z.string().datetime(),
  /** The Kommo user who pressed Create or Retry (the issue's author in Linear, with OAuth). */
  requestedBy: z.number().int().positive().optional(),
  /** A Digital Pipeline action's event: its stage and its settings over the rule's target. */
  dp: z
    .object({
      pipelineId: z.number().int().positive(),
      statusId: z.number().int().positive(),
      target: z.object({
        team: z.string().optional(),
        project: z.string().optional(),
        state: z.string().optional(),
        labels: z.array(z.string()).optional(),
        priority: z.number().int().min(0).max(4).optional(),
      }),
    })
    .optional(),
});
export type WonJob = z.infer<typeof WonJobSchema>;

/** One job per lead and link at a time: duplicate deliveries collapse onto this key. */
export function wonJobKey(installationId: string, leadId: number, linkKey: string = WON_LINK_KEY): string {
  return `won:${installationId}:${leadId}:${linkKey}`;
}

export interface WonRequestInput {
  installationId: string;
  leadId: number;
  /** 'won': the webhook or the poll; 'widget': Create or Retry on the card (or the CLI's replay). */
  origin: 'won' | 'widget';
  /** Default: the deal's automatic issue. */
  linkKey?: string;
  /** When the webhook or the click arrived (the Won → issue latency starts here). */
  requestedAt: Date;
  requestedBy?: number;
  dp?: WonJob['dp'];
}

/** Queues the Won job of one link of a deal, unless the same one is already waiting. */
export async function enqueueWon(queue: Pick<Queue, 'send'>, input: WonRequestInput): Promise<void> {
  const linkKey = input.linkKey ?? WON_LINK_KEY;
  const job: WonJob = {
    installationId: input.installationId,
    leadId: input.leadId,
    origin: input.origin,
    linkKey,
    requestedAt: input.requestedAt.toISOString(),
    ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
    ...(input.dp ? { dp: input.dp } : {}),
  };
  // Grouped by installation: one account's backlog does not hold up another account's deals.
  await queue.send(KOMMO_DEAL_WON, job, { key: wonJobKey(input.installationId, input.leadId, linkKey), group: input.installationId });
}

/**
 * Queues the Won jobs of a Kommo delivery's fired rules. Rules already settled for their deal
 * (linked, or unlinked on purpose) are answered from one read of the links: Kommo re-sends
 * deliveries and automations re-fire stages, and each job would only find the link and end.
 */
export async function enqueueWonEvents(
  queue: Pick<Queue, 'send'>,
  db: DbOrTrx,
  installationId: string,
  fired: Array<{ leadId: number; linkKey: string }>,
  requestedAt: Date,
): Promise<{ queued: number; settled: number }> {
  const settled = await linksRepo.settledKeys(db, installationId, fired);
  const open = fired.filter((f) => !settled.has(`${f.leadId}:${f.linkKey}`));
  for (const f of open) await enqueueWon(queue, { installationId, leadId: f.leadId, origin: 'won', linkKey: f.linkKey, requestedAt });
  return { queued: open.length, settled: fired.length - open.length };
}

export interface WonJobDeps extends InstallationJobDeps {
  metrics: Metrics;
  /** Queues the deal's customer step (Linear Customers) once its issue is linked. */
  enqueueCustomer?: (installationId: string, leadId: number) => Promise<void>;
}

export function kommoDealWonJob(deps: WonJobDeps): JobDefinition<typeof WonJobSchema> {
  return {
    name: KOMMO_DEAL_WON,
    schema: WonJobSchema,
    async handle(data, context) {
      const log = deps.log.child({ installationId: data.installationId, leadId: data.leadId, jobId: context.jobId });
      // The link is read while the installation is (two round trips overlapped on the critical path).
      const existing = linksRepo.find(deps.db, data.installationId, data.leadId, data.linkKey);
      existing.catch(() => undefined);
      const ctx = await loadInstallationContext(deps, data.installationId, log);
      if (!ctx) return;
      const request = { leadId: data.leadId, linkKey: data.linkKey, origin: data.origin, requestedAt: new Date(data.requestedAt), ...(data.requestedBy ? { requestedBy: data.requestedBy } : {}), ...(data.dp ? { dp: data.dp } : {}) };
      const refused = ctx.installation.kommoAccess;
      if (refused) {
        // No call to an account Kommo refuses: the deal waits and the access check resumes it.
        await parkWonDeal(ctx, request, { code: KOMMO_ACCESS_CODES[refused.problem], message: refused.message, retryable: true });
        // The access check may have cleared the mark (and queued what waited) while this deal was parked.
        if ((await deps.installations.load(data.installationId))?.kommoAccess) {
          log.info({ problem: refused.problem }, 'Kommo refuses the account; the won deal waits for access');
          return;
        }
        throw new AppError('conflict', 'Kommo answers the account again; the deal is processed now', { retryable: true, retryAfterMs: 1 });
      }
      if (await waitForLinear(deps, ctx, request)) return;
      let outcome: WonOutcome;
      try {
        outcome = await onDealWon(
          { ...ctx, observeLatency: (ms) => deps.metrics.wonToIssueSeconds.observe(ms / 1000) },
          { ...request, finalAttempt: context.finalAttempt, runId: context.runId, leaseSeconds: deps.leaseSeconds, existing },
        );
      } catch (error) {
        if (await recordKommoRefusal(deps, ctx, error)) return;
        if (error instanceof AppError && error.code === 'linear_reconnect_needed') {
          // Marked by the token source; a reconnect queues the deal again (jobs/resume-waiting.ts).
          if ((await deps.installations.load(data.installationId))?.linearOAuth?.status === 'connected') throw retryNow('Linear was reconnected meanwhile');
          log.info('Linear needs a reconnect; the won deal waits for it');
          return;
        }
        throw error;
      }
      if (outcome.kind === 'rejected') {
        // Recorded for support, and done: a retry would only ask Kommo again for nothing.
        await rejectedWonLeadsRepo.record(deps.db, { installationId: data.installationId, leadId: data.leadId, reason: outcome.missing.reason, message: outcome.missing.error.message });
        log.warn({ reason: outcome.missing.reason }, 'won event rejected: Kommo has no such lead');
      } else if (outcome.kind === 'linked' && ctx.installation.settings.customers.enabled && deps.enqueueCustomer) {
        log.info({ outcome: outcome.kind }, 'won deal processed');
        // The deal is linked whatever happens to its customer step: a failed enqueue is only logged.
        await deps.enqueueCustomer(data.installationId, data.leadId).catch((error: unknown) => log.warn({ err: error }, 'customer step not queued'));
      } else if (outcome.kind === 'failed') log.warn({ code: outcome.error.code, reason: outcome.error.message }, 'won deal could not be linked');
      else log.info({ outcome: outcome.kind, ...(outcome.kind === 'skipped' ? { reason: outcome.reason } : {}) }, 'won deal processed');
    },
  };
}

const retryNow = (why: string) => new AppError('conflict', `${why}; the deal is processed now`, { retryable: true, retryAfterMs: 1 });

/**
 * While the installation's Linear grant needs a reconnect (refresh refused, app removed), the
 * deal is parked as waiting, with the reason the card shows; true when the job should end here.
 */
async function waitForLinear(deps: InstallationJobDeps, ctx: InstallationContext, request: Parameters<typeof parkWonDeal>[1]): Promise<boolean> {
  const grant = ctx.installation.linearOAuth;
  if (!grant || grant.status === 'connected') return false;
  await parkWonDeal(ctx, request, { code: 'linear_reconnect_needed', message: reconnectNeeded(grant.status).message, retryable: true });
  // The admin may have reconnected while this deal was parked (and queued what waited before it).
  if ((await deps.installations.load(ctx.installation.id))?.linearOAuth?.status === 'connected') throw retryNow('Linear was reconnected');
  ctx.log.info({ status: grant.status }, 'Linear needs a reconnect; the won deal waits for it');
  return true;
}
