import { notesFor, type IssueNow } from '../../../../server/domain/issue-notes';
import { noteTexts } from '../../../../server/domain/note-texts';
import { parseSettings } from '../../../../server/domain/settings';

const texts = noteTexts('en');
const enabled = parseSettings({}).notes;
const before = { identifier: 'ENG-4', stateType: 'backlog', assigneeId: null, deleted: false, updatedAt: '2026-11-27T10:00:00.000Z' };
const later = (change: Partial<IssueNow>): IssueNow => ({
  ...before,
  assigneeName: null,
  stateName: 'Backlog',
  updatedAt: '2026-11-27T10:05:00.000Z',
  ...change,
});

describe('notesFor', () => {
  it('tells an assignment before the closing when one delivery carries both', () => {
    const notes = notesFor(before, later({ assigneeId: 'u1', assigneeName: 'Dana Dev', stateType: 'completed', stateName: 'Done' }), texts, enabled);
    expect(notes.map((n) => n.text)).toEqual(['Task ENG-4 assigned to Dana Dev.', 'Task ENG-4 closed in Linear. Assignee: Dana Dev.']);
  });

  it('keys each note by its kind and the issue version, so a replay finds the same keys', () => {
    const now = later({ identifier: 'OPS-1', assigneeId: 'u1', assigneeName: 'Dana Dev' });
    expect(notesFor(before, now, texts, enabled).map((n) => n.key)).toEqual(['moved:2026-11-27T10:05:00.000Z', 'assigned:2026-11-27T10:05:00.000Z']);
    expect(notesFor(before, now, texts, enabled)).toEqual(notesFor(before, now, texts, enabled));
  });

  it('says nothing when the issue is back where the deal last saw it', () => {
    expect(notesFor(before, later({}), texts, enabled)).toEqual([]);
  });

  it('posts only the deletion for a deleted issue, and nothing for disabled kinds', () => {
    const deleted = later({ deleted: true, assigneeId: 'u1', assigneeName: 'Dana Dev' });
    expect(notesFor(before, deleted, texts, enabled).map((n) => n.key.split(':')[0])).toEqual(['deleted']);
    const quiet = { ...enabled, reassigned: false, completed: false };
    expect(notesFor(before, later({ assigneeId: 'u1', stateType: 'completed' }), texts, quiet)).toEqual([]);
  });

  it('names a duplicate when the canceled state says so', () => {
    const [note] = notesFor(before, later({ stateType: 'canceled', stateName: 'Duplicate' }), texts, enabled);
    expect(note?.text).toMatch(/duplicate/i);
  });
});
