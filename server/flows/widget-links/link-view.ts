/**
 * A deal link as the widget sees it (shared/api.ts `LinkView`): where its creation stands, the
 * cached issue, why the last attempt failed, and non-fatal warnings. Pure mapping, no I/O.
 */
import type { IssueView, LinkStatus, LinkView, SearchResponse } from '../../../shared/api';
import type { DealLink } from '../../domain/link';
import { AppError } from '../../errors';
import type { LinearIssue, LinearSearchResult } from './deps';

function viewStatus(link: DealLink): LinkStatus {
  if (link.status === 'unlinked') throw new AppError('internal', `link ${link.id} is unlinked and has no view`);
  return link.status;
}

type StateView = IssueView['state'];

/** Only the state's name, type and colour reach the widget. */
function stateView(state: { name: string; type: string; color: string } | null | undefined): StateView {
  return state ? { name: state.name, type: state.type, color: state.color } : null;
}

function issueView(link: DealLink): IssueView | null {
  const issue = link.issue;
  if (!issue) return null;
  return {
    issueId: link.linearIssueId,
    identifier: issue.identifier,
    title: issue.title,
    url: issue.url,
    state: stateView(issue.state),
    assignee: issue.assignee ? { name: issue.assignee.name, avatarUrl: issue.assignee.avatarUrl } : null,
    priority: Math.min(4, Math.max(0, Math.round(issue.priority))),
    dueDate: issue.dueDate,
    syncedAt: link.syncedAt?.toISOString() ?? null,
    deleted: link.issueDeleted,
  };
}

export function toLinkView(link: DealLink): LinkView {
  const status = viewStatus(link);
  const hasProblem = (status === 'retrying' || status === 'failed') && link.error !== null;
  return {
    linkId: link.id,
    status,
    issue: issueView(link),
    problem: hasProblem && link.error ? { code: link.error.code, message: link.error.message, retryable: link.error.retryable } : null,
    warnings: link.warnings.map((w) => ({ code: w.code, message: w.message })),
    createdAt: link.createdAt.toISOString(),
    ...(link.trigger ? { trigger: { source: link.trigger.source, rule: link.trigger.ruleName, stage: link.trigger.stageName } } : {}),
    lastComment: link.lastComment ? { author: link.lastComment.author, text: link.lastComment.text, at: link.lastComment.at } : null,
    lastTask: link.lastTask ? { text: link.lastTask.text, due: link.lastTask.due, at: link.lastTask.at } : null,
  };
}

/** The first deadline any link of the deal recorded (YYYY-MM-DD), or null. */
export function dealDeadlineOf(links: DealLink[]): string | null {
  return links.find((l) => l.dealDeadline !== null)?.dealDeadline ?? null;
}

type SearchResult = SearchResponse['results'][number];

export function toSearchResult(issue: LinearIssue | LinearSearchResult): SearchResult {
  return {
    issueId: issue.id,
    identifier: issue.identifier,
    title: issue.title,
    url: issue.url,
    state: stateView(issue.state),
  };
}
