/** Builders for widget API payloads (shapes from shared/api.ts). */
import type { IssueView, LinkView } from '../../../shared/api';
import type { LeadView } from '../../../widget/src/api/backend';

export function issue(overrides: Partial<IssueView> = {}): IssueView {
  return {
    issueId: 'issue-1',
    identifier: 'ENG-42',
    title: 'Onboard ACME Corp',
    url: 'https://linear.app/acme/issue/ENG-42/onboard-acme-corp',
    state: { name: 'In Progress', type: 'started', color: '#f2c94c' },
    assignee: { name: 'Jane Doe', avatarUrl: 'https://example.test/jane.png' },
    priority: 2,
    dueDate: '2026-03-20',
    syncedAt: '2026-03-01T11:55:00.000Z',
    deleted: false,
    ...overrides,
  };
}

export function link(overrides: Partial<LinkView> = {}): LinkView {
  return {
    linkId: 'link-1',
    status: 'linked',
    issue: issue(),
    problem: null,
    warnings: [],
    createdAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

export function lead(overrides: Partial<LeadView> = {}): LeadView {
  return { leadId: 7, configured: true, kommoAccess: null, isAdmin: false, dealDeadline: null, links: [], ...overrides };
}

/** The fixed "now" of component tests: 5 minutes after `issue().syncedAt`. */
export const NOW = new Date('2026-03-01T12:00:00.000Z');
