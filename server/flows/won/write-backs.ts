/**
 * After the issue exists: the back-link card in Linear, the identifier in the deal's field and
 * the "task created" note, in parallel. Each is stamped when done. The note is the one step that
 * is not idempotent by nature, so it is stamped as started first; a retry after an unknown
 * outcome looks for the note before posting it again.
 */
import { kommoDealUrl, toLanguage } from '../../../shared/kommo';
import type { DealLink } from '../../domain/link';
import { noteTexts } from '../../domain/note-texts';
import { AppError, toAppError } from '../../errors';
import type { HeldLease } from '../held-lease';
import type { KommoLead, WonFlowDeps } from './deps';
import { formatAmount } from './issue-content';

/** How far back to look for our own note when a previous attempt's outcome is unknown. */
const NOTE_LOOKBACK_SECONDS = 120;

/**
 * `createdNow`: the issue was made in this run, so no earlier attempt can have posted the note.
 * `stamped`: the issue's stamp (with the note's "started" mark) being stored; the back-link and
 * the field do not wait for it, the note does. Every step waits for it before the run ends.
 */
export async function writeBacks(
  deps: WonFlowDeps,
  link: DealLink,
  lead: KommoLead,
  createdNow: boolean,
  lease: Pick<HeldLease, 'assertHeld'>,
  stamped: Promise<void> = Promise.resolve(),
): Promise<void> {
  const issue = link.issue;
  if (!issue) throw new AppError('internal', 'write-backs need the created issue');
  const steps: Array<Promise<void>> = [stamped];
  if (!link.attachmentDoneAt) steps.push(attachBackLink(deps, link, lead));
  if (!link.fieldDoneAt) steps.push(writeIdentifierField(deps, link, lead.id, issue.identifier));
  if (!link.noteDoneAt) steps.push(postCreatedNote(deps, link, lead.id, issue.identifier, issue.url, createdNow, lease, stamped));
  const results = await Promise.allSettled(steps);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw toAppError(failure.reason);
}

async function attachBackLink(deps: WonFlowDeps, link: DealLink, lead: KommoLead): Promise<void> {
  const { installation, referenceData } = deps;
  const [account, manager] = await Promise.all([
    referenceData.account(),
    lead.responsible_user_id == null ? undefined : referenceData.kommoUser(lead.responsible_user_id),
  ]);
  const language = installation.settings.language ?? toLanguage(account.language);
  const amount = formatAmount(lead.price, account.currency, language);
  await deps.linear.upsertAttachment({
    issueId: link.linearIssueId,
    url: kommoDealUrl(installation.kommoBaseUrl, lead.id),
    title: `Kommo deal #${lead.id}`,
    subtitle: manager ? `${amount} · ${manager.name}` : amount,
    metadata: { kommoDealId: lead.id, kommoPipelineId: lead.pipeline_id },
  });
  await deps.links.markStep(link.id, 'attachment');
}

async function writeIdentifierField(deps: WonFlowDeps, link: DealLink, leadId: number, identifier: string): Promise<void> {
  const field = await deps.referenceData.leadField(deps.installation.settings.fields.issue, true);
  if (!field) throw new AppError('kommo_rejected', 'The "Linear issue" field could not be found or created');
  await deps.kommo.setLeadField(leadId, field.id, identifier);
  await deps.links.markStep(link.id, 'field');
}

async function postCreatedNote(
  deps: WonFlowDeps,
  link: DealLink,
  leadId: number,
  identifier: string,
  url: string,
  createdNow: boolean,
  lease: Pick<HeldLease, 'assertHeld'>,
  stamped: Promise<void>,
): Promise<void> {
  const { installation } = deps;
  if (!installation.settings.notes.created) {
    await deps.links.markStep(link.id, 'note');
    return;
  }
  if (link.noteStartedAt && !createdNow) {
    const since = Math.floor(link.noteStartedAt.getTime() / 1000) - NOTE_LOOKBACK_SECONDS;
    const notes = await deps.kommo.listLeadNotes(leadId, since);
    if (notes.some((n) => n.text.includes(url))) {
      await deps.links.markStep(link.id, 'note');
      return;
    }
  } else if (!link.noteStartedAt) {
    await deps.links.markStep(link.id, 'noteStarted');
  }
  // The one step that must not run twice: only while this run still holds the deal.
  const [account] = await Promise.all([deps.referenceData.account(), lease.assertHeld(), stamped]);
  const language = installation.settings.language ?? toLanguage(account.language);
  await deps.kommo.addLeadNote(leadId, noteTexts(language).created(identifier, url));
  await deps.links.markStep(link.id, 'note');
}
