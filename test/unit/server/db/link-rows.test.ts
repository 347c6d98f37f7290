import { AppError } from '../../../../server/errors';
import { toLink } from '../../../../server/db/repos/link-rows';

/** A deal_links row as pg hands it over: bigint as text, timestamps as Dates, jsonb parsed. */
const row = {
  id: '6f1c1e8e-0000-4000-8000-000000000001',
  installation_id: '6f1c1e8e-0000-4000-8000-000000000002',
  lead_id: '9007199254740',
  link_key: 'won',
  origin: 'won',
  status: 'linked',
  linear_issue_id: '6f1c1e8e-0000-4000-8000-000000000003',
  issue_identifier: 'ENG-7',
  issue_title: 'Onboarding',
  issue_url: 'https://linear.app/acme/issue/ENG-7',
  issue_state: { name: 'Done', type: 'completed', color: '#0f0' },
  issue_assignee: { id: 'u1', name: 'Ana', avatarUrl: null },
  issue_priority: 2,
  issue_due_date: '2026-12-01',
  issue_updated_at: new Date('2026-11-30T10:00:00Z'),
  issue_deleted: false,
  deal_deadline: null,
  noted: { identifier: 'ENG-7', stateType: 'completed', assigneeId: 'u1', deleted: false, updatedAt: '2026-11-30T10:00:00.000Z' },
  pending_notes: [],
  synced_at: new Date('2026-11-30T10:00:01Z'),
  issue_created_at: new Date('2026-11-30T09:00:00Z'),
  attachment_done_at: null,
  field_done_at: null,
  note_started_at: null,
  note_done_at: null,
  error_code: null,
  error_message: null,
  error_retryable: null,
  warnings: [],
  attempts: 1,
  requested_at: new Date('2026-11-30T09:00:00Z'),
  completed_at: null,
  created_at: new Date('2026-11-30T09:00:00Z'),
};

describe('toLink', () => {
  it('maps a pg row: bigint text to a number, jsonb to the snapshot and noted state', () => {
    const link = toLink(row);
    expect(link.leadId).toBe(9007199254740);
    expect(link.issue).toEqual({
      identifier: 'ENG-7',
      title: 'Onboarding',
      url: 'https://linear.app/acme/issue/ENG-7',
      state: { name: 'Done', type: 'completed', color: '#0f0' },
      assignee: { id: 'u1', name: 'Ana', avatarUrl: null },
      priority: 2,
      dueDate: '2026-12-01',
      updatedAt: '2026-11-30T10:00:00.000Z',
    });
    expect(link.noted).toEqual(row.noted);
    expect(link.error).toBeNull();
  });

  it('accepts jsonb as text and timestamps as strings, and fills what a fresh claim has not set yet', () => {
    const link = toLink({
      ...row,
      status: 'failed',
      issue_identifier: null,
      issue_state: 'null',
      noted: JSON.stringify(row.noted),
      warnings: JSON.stringify([{ code: 'assignee_not_found', message: 'created unassigned' }]),
      pending_notes: JSON.stringify([{ key: 'completed:1', text: 'closed' }]),
      issue_created_at: '2026-11-30T09:00:00Z',
      error_code: 'linear_unavailable',
      error_message: null,
      error_retryable: true,
      attempts: null,
      requested_at: null,
    });
    expect(link.issue).toBeNull();
    expect(link.noted).toEqual(row.noted);
    expect(link.warnings).toEqual([{ code: 'assignee_not_found', message: 'created unassigned' }]);
    expect(link.pendingNotes).toEqual([{ key: 'completed:1', text: 'closed' }]);
    expect(link.issueCreatedAt?.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(link.error).toEqual({ code: 'linear_unavailable', message: '', retryable: true });
    expect(link.attempts).toBe(0);
    expect(link.requestedAt.getTime()).toBe(0);
  });

  it('refuses a row that does not fit, naming the column', () => {
    const wrong = () => toLink({ ...row, status: 'exploded' });
    expect(wrong).toThrow(AppError);
    expect(wrong).toThrow(/deal_links row .*status/);
  });
});
