/**
 * A verified Issue webhook for a linked issue. When the payload carried every field we keep, it
 * is applied as is; when a field was missing or renamed, the issue is read from Linear by id (one
 * query) rather than the event being lost.
 */
import type { IssueSnapshot } from '../../domain/issue-snapshot';
import type { LinearPort } from '../ports';
import type { IssueChangeDeps } from './deps';
import { onIssueChanged } from './on-issue-changed';

export interface IssueWebhookEvent {
  issueId: string;
  action: 'create' | 'update' | 'remove';
  /** Our own integration made the change. */
  byUs: boolean;
  /** The issue as the payload described it; absent when the payload lacked a field we need. */
  described?: { snapshot: IssueSnapshot; trashed: boolean };
}

export type IssueWebhookDeps = IssueChangeDeps & { linear: Pick<LinearPort, 'issue'> };

export async function onIssueWebhook(deps: IssueWebhookDeps, event: IssueWebhookEvent, runId: string, leaseSeconds: number): Promise<void> {
  const removed = event.action === 'remove';
  let described = event.described;
  if (!described) {
    const issue = await deps.linear.issue(event.issueId);
    if (issue) described = { snapshot: issue.snapshot, trashed: Boolean(issue.trashed) };
    else if (!removed) {
      // Not readable (deleted meanwhile, or out of the key's reach): reconciliation settles it.
      deps.log.info({ issueId: event.issueId }, 'issue of a webhook not found in Linear; nothing to update');
      return;
    }
  }
  // A removed issue Linear no longer returns keeps the snapshot the link already has.
  await onIssueChanged(deps, { issueId: event.issueId, snapshot: described?.snapshot, deleted: removed || Boolean(described?.trashed), byUs: event.byUs }, runId, leaseSeconds);
}
