/**
 * The Won flow: a won Kommo deal becomes exactly one Linear issue, with a back-link in Linear,
 * the identifier in the deal's field and a note in the deal. Every step is idempotent and
 * stamped on the link row, so a retry or a crash resumes where it stopped without duplicates.
 */
import type { DealLink, LinkWarning } from '../../domain/link';
import { AppError, kommoAccessProblemOf, toAppError } from '../../errors';
import { holdLease, type HeldLease } from '../held-lease';
import type { IssueCreateInput, KommoLead, WonFlowDeps } from './deps';
import { TEMPLATE_GONE } from './issue-template';
import { readLead, type MissingLead } from './read-lead';
import { planIssue } from './plan-issue';
import { cardTarget, dpClaimTrigger, dpOfTrigger, firingFor, type DpRequest, type Firing } from './trigger';
import { writeBacks } from './write-backs';

export interface WonRequest {
  leadId: number;
  /**
   * Which link of the deal this run fills: a rule's key (`won` for rules saved before trigger
   * stages, `rule:<id>`), a Digital Pipeline action's (`dp:…`), or an extra issue's from the card.
   */
  linkKey: string;
  /** The Digital Pipeline action that asked for the issue; a rerun reads it from the link. */
  dp?: DpRequest;
  origin: 'won' | 'widget';
  /** The Kommo user who pressed Create or Retry on the card; absent for automatic runs. */
  requestedBy?: number;
  /** When the webhook or click arrived, for the Won → issue latency metric. */
  requestedAt: Date;
  /** The queue will not try again after this attempt. */
  finalAttempt: boolean;
  /** Identifies this run for the link lease: unique per run, as a retried job keeps its job id. */
  runId: string;
  /** How long the lease holds if this run dies without releasing it. */
  leaseSeconds: number;
  /** The link as stored, when the caller already started reading it (overlapped with its own reads). */
  existing?: Promise<DealLink | undefined>;
}

export type WonOutcome =
  | { kind: 'linked'; link: DealLink }
  | { kind: 'skipped'; reason: 'not-won' | 'pipeline-not-configured' | 'already-linked' | 'unlinked' | 'deleted' }
  /** Kommo says the lead does not exist: no link is left behind; the caller records the rejection. */
  | { kind: 'rejected'; missing: MissingLead }
  | { kind: 'failed'; error: AppError };

export async function onDealWon(deps: WonFlowDeps, req: WonRequest): Promise<WonOutcome> {
  const existing = await (req.existing ?? deps.links.find(deps.installation.id, req.leadId, req.linkKey));
  if (existing?.status === 'linked') return { kind: 'skipped', reason: 'already-linked' };
  // Someone unlinked the automatic issue on purpose: a later Won event must not bring it back.
  if (existing?.status === 'unlinked') return { kind: 'skipped', reason: 'unlinked' };
  // The lead read does not depend on the claim and lease below: overlap them (critical path).
  const leadRead = readLead(deps.kommo, req.leadId);
  leadRead.catch(() => undefined);
  const dp = req.dp ?? dpOfTrigger(existing?.trigger);
  const link =
    existing ??
    (await deps.links.claim({
      installationId: deps.installation.id,
      leadId: req.leadId,
      linkKey: req.linkKey,
      origin: req.origin,
      requestedAt: req.requestedAt,
      ...(dp ? { trigger: dpClaimTrigger(dp) } : {}),
    }));
  if (!(await deps.links.acquireLease(link.id, req.runId, req.leaseSeconds))) {
    throw new AppError('conflict', `Another worker is processing deal ${req.leadId}`, { retryable: true, retryAfterMs: 2000 });
  }
  const lease = holdLease(deps.links, link.id, req.runId, req.leaseSeconds);
  try {
    const read = await leadRead;
    if ('missing' in read) return await rejectMissingLead(deps, link, read.missing);
    return await createAndWriteBack(deps, { ...req, ...(dp ? { dp } : {}) }, link, read.lead, lease);
  } catch (thrown) {
    const error = toAppError(thrown);
    // Kommo refusing the whole account is no reason to give up on the deal: it waits for access.
    // So is a Linear grant that needs a reconnect: the deal waits for it (linear/tokens.ts).
    const waitsForAccess = kommoAccessProblemOf(error) !== undefined || error.code === 'linear_reconnect_needed';
    const giveUp = !waitsForAccess && (!error.retryable || req.finalAttempt);
    await deps.links.markProblem(link.id, giveUp ? 'failed' : 'retrying', {
      code: error.code,
      message: error.message,
      retryable: error.retryable || waitsForAccess,
    });
    if (giveUp) return { kind: 'failed', error };
    throw error;
  } finally {
    await lease.release();
  }
}

async function createAndWriteBack(deps: WonFlowDeps, req: WonRequest, claimed: DealLink, lead: KommoLead, lease: HeldLease): Promise<WonOutcome> {
  let link = claimed;
  let createdNow = false;
  let firing: Firing | undefined;
  if (!link.issueCreatedAt && req.origin === 'won') {
    const fired = lead.is_deleted ? 'deleted' : firingFor(deps.installation.settings, await deps.referenceData.pipelines(), lead, req.linkKey, req.dp);
    const skip = typeof fired === 'string' ? fired : undefined;
    if (typeof fired !== 'string') firing = fired;
    if (skip) {
      const recovered = await recoverLostCreate(deps, link);
      if (!recovered) {
        await deps.links.remove(link.id);
        return { kind: 'skipped', reason: skip };
      }
      link = recovered;
    }
  }
  // Once the issue exists, its stamp is written while the back-link and the field go out; only
  // the note waits for it (the note's "started" mark must be stored before the note is posted).
  let stamped: Promise<void> = Promise.resolve();
  if (!link.issueCreatedAt) {
    const target = firing ?? { target: cardTarget(deps.installation.settings, lead, req.linkKey, req.dp), trigger: undefined };
    ({ link, stamped } = await createIssue(deps, link, lead, target, await authorOf(deps, req)));
    createdNow = true;
  }
  await writeBacks(deps, link, lead, createdNow, lease, stamped);
  await deps.links.markLinked(link.id);
  const done = (await deps.links.find(deps.installation.id, req.leadId, req.linkKey)) ?? link;
  deps.observeLatency?.(Date.now() - done.requestedAt.getTime());
  return { kind: 'linked', link: done };
}

/**
 * A won event for a lead Kommo does not know (a forged or stale delivery) is a rejected delivery,
 * not a deal that failed: the half-made link is dropped. A link whose issue may already exist
 * keeps failing visibly instead, since that issue is real.
 */
async function rejectMissingLead(deps: WonFlowDeps, link: DealLink, missing: MissingLead): Promise<WonOutcome> {
  if (link.issueCreatedAt || (await recoverLostCreate(deps, link))) throw missing.error;
  await deps.links.remove(link.id);
  return { kind: 'rejected', missing };
}

/**
 * The deal is not won any more. If an earlier attempt may have reached Linear (a lost response),
 * adopt that issue so it is finished, not orphaned; otherwise the half-made link is dropped.
 */
async function recoverLostCreate(deps: WonFlowDeps, link: DealLink): Promise<DealLink | undefined> {
  if (link.attempts === 0) return undefined;
  const issue = await deps.linear.issue(link.linearIssueId);
  if (!issue) return undefined;
  await deps.links.markIssueCreated(link.id, issue.snapshot, link.warnings);
  return { ...link, issueCreatedAt: new Date(), issue: issue.snapshot };
}

/**
 * Who Linear shows as the issue's author when we create it as the OAuth app (`createAsUser`; the
 * client leaves it out for a personal key): the Kommo user who pressed Create, else "Kommo".
 */
async function authorOf(deps: WonFlowDeps, req: WonRequest): Promise<string> {
  const user = req.requestedBy ? await deps.referenceData.kommoUser(req.requestedBy).catch(() => undefined) : undefined;
  return user?.name.trim() ? `${user.name.trim()} (Kommo)` : 'Kommo';
}

async function createIssue(
  deps: WonFlowDeps,
  link: DealLink,
  lead: KommoLead,
  firing: Pick<Firing, 'target'> & { trigger: Firing['trigger'] | undefined },
  author: string,
): Promise<{ link: DealLink; stamped: Promise<void> }> {
  // The attempt is counted before the create leaves, while the contact is read (critical path).
  const counted = deps.links.countAttempt(link.id);
  counted.catch(() => undefined);
  const plan = await planIssue(deps, lead, deps.installation.settings, firing.target);
  await counted;
  // An earlier attempt may have created the issue with our pre-generated id: then it is read back.
  const { issue, warnings } = await createFromTemplate(deps, { id: link.linearIssueId, ...plan.input, createAsUser: author }, plan.warnings);
  // The note may be posted once this is stored; stamping it here saves a write on the critical path.
  const stamped = deps.links.markIssueCreated(link.id, issue.snapshot, warnings, plan.content.dueDate ?? null, true, firing.trigger);
  stamped.catch(() => undefined);
  deps.log.info({ leadId: lead.id, issue: issue.identifier }, 'linear issue created');
  return { link: { ...link, issueCreatedAt: new Date(), noteStartedAt: new Date(), issue: issue.snapshot, warnings }, stamped };
}

/**
 * A template deleted in Linear after our list of templates was cached: Linear refuses it, and the
 * issue is made without it rather than failing the deal for good.
 */
async function createFromTemplate(deps: WonFlowDeps, input: IssueCreateInput, warnings: LinkWarning[]) {
  try {
    return { issue: await deps.linear.createIssueWithId(input), warnings };
  } catch (error) {
    if (!input.templateId || !(error instanceof AppError) || error.code !== 'linear_not_found' || !/template/i.test(error.message)) throw error;
    const without = { ...input };
    delete without.templateId;
    return { issue: await deps.linear.createIssueWithId(without), warnings: [...warnings, TEMPLATE_GONE] };
  }
}
