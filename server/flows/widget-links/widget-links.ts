/**
 * What the deal card's widget can do with a deal's links: show them, create an issue (through the
 * same Won job as the webhook), link an existing issue, unlink, retry a failed link, and search
 * Linear. Dependencies are passed in: no SQL or HTTP here.
 */
import { randomUUID } from 'node:crypto';
import type { LeadLinksResponse, LinkView, SearchResponse } from '../../../shared/api';
import { kommoDealUrl, toLanguage } from '../../../shared/kommo';
import { isConfigured, type Installation } from '../../domain/installation';
import { kommoAccessView } from '../../domain/kommo-access';
import { WON_LINK_KEY, type DealLink } from '../../domain/link';
import { rulesOfPipeline } from '../../domain/trigger-rules';
import { AppError, toAppError } from '../../errors';
import { formatAmount } from '../won/issue-content';
import type { AttachmentInput, WidgetLinksDeps } from './deps';
import { dealDeadlineOf, toLinkView, toSearchResult } from './link-view';

export interface WidgetLinks {
  lead(leadId: number, isAdmin: boolean): Promise<LeadLinksResponse>;
  /** `userId`: the Kommo user who pressed Create (named as the issue's author with OAuth). */
  create(leadId: number, userId?: number | null): Promise<LinkView>;
  linkExisting(leadId: number, issue: string): Promise<{ link: LinkView; created: boolean }>;
  unlink(leadId: number, linkId: string): Promise<void>;
  retry(leadId: number, linkId: string, userId?: number | null): Promise<LinkView>;
  search(q: string): Promise<SearchResponse>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTIFIER = /^[a-z][a-z0-9]{0,9}-\d{1,9}$/i;

/** `ENG-42` (any case), a Linear issue URL or an issue UUID, as Linear's `issue(id:)` takes it. */
export function issueRef(input: string): string | undefined {
  const text = input.trim();
  if (UUID.test(text)) return text.toLowerCase();
  if (IDENTIFIER.test(text)) return text.toUpperCase();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(url.protocol) || !/(^|\.)linear\.app$/i.test(url.hostname)) return undefined;
  const match = /^\/[^/]+\/issue\/([^/]+)/.exec(url.pathname);
  const id = match?.[1] ? decodeURIComponent(match[1]) : '';
  return IDENTIFIER.test(id) ? id.toUpperCase() : UUID.test(id) ? id.toLowerCase() : undefined;
}

export function createWidgetLinks(deps: WidgetLinksDeps): WidgetLinks {
  const { installation, links } = deps;
  const dealUrl = (leadId: number) => kommoDealUrl(installation.kommoBaseUrl, leadId);

  /** A link of this deal that the card shows; anything else is not found. */
  async function shownLink(leadId: number, linkId: string): Promise<DealLink> {
    const link = await links.findById(installation.id, linkId);
    if (!link || link.leadId !== leadId || link.status === 'unlinked') {
      throw new AppError('not_found', `Deal ${leadId} has no link ${linkId}`);
    }
    return link;
  }

  async function enqueueFor(link: DealLink, requestedAt: Date, userId: number | null | undefined): Promise<void> {
    try {
      await deps.enqueue({ installationId: installation.id, leadId: link.leadId, linkKey: link.linkKey, requestedAt, ...(userId ? { requestedBy: userId } : {}) });
    } catch (error) {
      await links.markProblem(link.id, 'failed', { code: 'unavailable', message: 'The issue could not be queued for creation; press Retry', retryable: true });
      throw new AppError('unavailable', 'Could not queue the issue creation; try again shortly', { cause: error });
    }
  }

  /**
   * The link a Create click fills: the first rule of the deal's pipeline that has no link yet, so
   * that the rule, when its stage comes, finds the deal linked and makes no second issue. When
   * every rule has one (made, or unlinked on purpose), the click makes an extra issue. A rule's
   * link still being made (or failed) is returned as `pending` instead. When Kommo cannot tell the
   * deal's pipeline now, the default key is used: the job reads the deal again and says why it fails.
   */
  async function createSlot(leadId: number): Promise<{ linkKey: string; pending?: DealLink }> {
    const lead = await deps.kommo.getLead(leadId).catch((error: unknown) => {
      deps.log.warn({ err: error, leadId }, "could not read the deal's pipeline for Create; using the default link");
      return undefined;
    });
    const keys = lead ? rulesOfPipeline(installation.settings, lead.pipeline_id).map((r) => r.key) : [];
    for (const key of keys.length > 0 ? keys : [WON_LINK_KEY]) {
      const link = await links.find(installation.id, leadId, key);
      if (!link) return { linkKey: key };
      if (link.status === 'creating' || link.status === 'retrying' || link.status === 'failed') return { linkKey: key, pending: link };
    }
    return { linkKey: `card:${randomUUID()}` };
  }

  /** The back-link card, in the Won flow's style; the amount and manager are best effort. */
  async function backLink(leadId: number, issueId: string): Promise<AttachmentInput> {
    const base = { issueId, url: dealUrl(leadId), title: `Kommo deal #${leadId}` };
    try {
      const lead = await deps.kommo.getLead(leadId);
      const [account, manager] = await Promise.all([
        deps.referenceData.account(),
        lead.responsible_user_id == null ? undefined : deps.referenceData.kommoUser(lead.responsible_user_id),
      ]);
      const amount = formatAmount(lead.price, account.currency, installation.settings.language ?? toLanguage(account.language));
      return { ...base, subtitle: manager ? `${amount} · ${manager.name}` : amount, metadata: { kommoDealId: leadId, kommoPipelineId: lead.pipeline_id } };
    } catch (error) {
      deps.log.warn({ err: error, leadId }, 'could not read the deal for the back-link subtitle; linking without it');
      return { ...base, metadata: { kommoDealId: leadId } };
    }
  }

  return {
    async lead(leadId, isAdmin) {
      const shown = await links.listForLead(installation.id, leadId);
      return {
        leadId,
        configured: isConfigured(installation),
        kommoAccess: kommoAccessView(installation.kommoAccess),
        linearAccess: linearAccessOf(installation, shown.length > 0),
        isAdmin,
        dealDeadline: dealDeadlineOf(shown),
        links: shown.map(toLinkView),
      };
    },

    async create(leadId, userId) {
      const { linkKey, pending } = await createSlot(leadId);
      if (pending?.status === 'failed') {
        throw new AppError('conflict', `The deal's issue could not be created (${pending.error?.message ?? 'unknown reason'}); press Retry on it`);
      }
      // Already on its way: a second click must not make a second issue.
      if (pending) return toLinkView(pending);
      const requestedAt = new Date();
      const link = await links.claim({ installationId: installation.id, leadId, linkKey, origin: 'widget', requestedAt });
      if (link.status === 'linked') return toLinkView(link);
      await enqueueFor(link, requestedAt, userId);
      return toLinkView(link);
    },

    async linkExisting(leadId, input) {
      const ref = issueRef(input);
      if (!ref) {
        throw new AppError('bad_request', `"${input}" is not an issue identifier (ENG-42), a Linear issue URL or an issue id`, { field: 'issue' });
      }
      const issue = await deps.linear.issue(ref);
      if (!issue) throw new AppError('not_found', `Linear has no issue ${ref} that this API key can see`);
      const current = (await links.listForLead(installation.id, leadId)).find((l) => l.linearIssueId === issue.id && l.status === 'linked');
      if (current) return { link: toLinkView(current), created: false };
      await deps.linear.upsertAttachment(await backLink(leadId, issue.id));
      const link = await links.linkExisting({ installationId: installation.id, leadId, issueId: issue.id, issue: issue.snapshot });
      return { link: toLinkView(link), created: true };
    },

    async unlink(leadId, linkId) {
      const link = await shownLink(leadId, linkId);
      if (link.status === 'creating') throw new AppError('conflict', 'The issue is still being created; unlink it once it is ready');
      if (link.issueCreatedAt || link.attachmentDoneAt) {
        try {
          await deps.linear.removeAttachment(link.linearIssueId, dealUrl(leadId));
        } catch (thrown) {
          const error = toAppError(thrown);
          if (!error.retryable) throw error;
          throw new AppError('unavailable', `Linear could not remove the back-link right now (${error.message}); the issue stays linked, try again shortly`, {
            cause: error,
          });
        }
      }
      await links.markUnlinked(link.id);
    },

    async retry(leadId, linkId, userId) {
      const link = await shownLink(leadId, linkId);
      if (link.status !== 'failed' && link.status !== 'retrying') {
        throw new AppError('conflict', `This link is ${link.status}; only a failed or retrying link can be retried`);
      }
      await links.resetForRetry(link.id);
      await enqueueFor(link, new Date(), userId);
      return toLinkView((await links.findById(installation.id, link.id)) ?? { ...link, status: 'creating', error: null });
    },

    async search(q) {
      const ref = issueRef(q);
      const [exact, found] = await Promise.all([ref ? deps.linear.issue(ref) : Promise.resolve(undefined), deps.linear.searchIssues(q)]);
      const rest = found.filter((f) => f.id !== exact?.id).map(toSearchResult);
      return { results: exact ? [toSearchResult(exact), ...rest] : rest };
    },
  };
}

/** What the card says about Linear's side of the installation. */
function linearAccessOf(installation: Installation, hasLinks: boolean): NonNullable<LeadLinksResponse['linearAccess']> {
  if (!installation.linearConnected) return hasLinks || installation.settings.team ? 'disconnected' : 'not_connected';
  return installation.linearOAuth && installation.linearOAuth.status !== 'connected' ? 'reconnect_needed' : 'connected';
}
