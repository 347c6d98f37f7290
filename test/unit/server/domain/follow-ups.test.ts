import { addWorkingHours, followUpsFor } from '../../../../server/domain/follow-ups';
import type { NotedState } from '../../../../server/domain/issue-snapshot';
import { parseSettings } from '../../../../server/domain/settings';

const before: NotedState = { identifier: 'ENG-42', stateType: 'started', assigneeId: null, deleted: false, updatedAt: '2026-11-27T10:00:00.000Z' };
const now = (stateType: string | null, extra: Partial<NotedState> = {}): NotedState => ({ ...before, stateType, updatedAt: '2026-11-27T11:00:00.000Z', ...extra });
const configured = parseSettings({
  followUp: {
    completed: { task: true, dueInWorkingHours: 8, taskTypeId: 2, moveTo: { pipelineId: 7, statusId: 70 } },
    canceled: { task: true },
  },
}).followUp;

describe('followUpsFor', () => {
  it('nothing by default', () => {
    expect(followUpsFor(before, now('completed'), 'Onboarding', 'en', parseSettings({}).followUp)).toEqual([]);
  });

  it('a completion: the task for the manager, then the stage move, keyed by the transition', () => {
    expect(followUpsFor(before, now('completed'), 'Onboarding', 'en', configured)).toEqual([
      {
        key: 'task:completed:2026-11-27T11:00:00.000Z',
        text: 'Call the client: ENG-42 Onboarding is done',
        action: { kind: 'task', taskTypeId: 2, dueInWorkingHours: 8 },
      },
      { key: 'stage:completed:2026-11-27T11:00:00.000Z', text: 'ENG-42 completed', action: { kind: 'stage', pipelineId: 7, statusId: 70 } },
    ]);
  });

  it('a cancellation (or duplicate) with its own settings, in the deal language', () => {
    const items = followUpsFor(before, now('canceled'), 'Onboarding', 'es', configured);
    expect(items).toEqual([{ key: 'task:canceled:2026-11-27T11:00:00.000Z', text: 'Llamar al cliente: ENG-42 Onboarding fue cancelada', action: { kind: 'task', taskTypeId: 1, dueInWorkingHours: 4 } }]);
    expect(followUpsFor(before, now('duplicate'), 'Onboarding', 'en', configured)).toHaveLength(1);
  });

  it('no follow-up without a transition into the outcome, or for a deleted issue', () => {
    expect(followUpsFor(now('completed'), now('completed', { assigneeId: 'u1' }), 'x', 'en', configured)).toEqual([]);
    expect(followUpsFor(now('duplicate'), now('canceled'), 'x', 'en', configured)).toEqual([]);
    expect(followUpsFor(before, now('started'), 'x', 'en', configured)).toEqual([]);
    expect(followUpsFor(before, now('completed', { deleted: true }), 'x', 'en', configured)).toEqual([]);
  });
});

describe('addWorkingHours', () => {
  // 2026-11-30 is a Monday.
  it('counts hours inside 09:00–18:00 on weekdays', () => {
    expect(addWorkingHours(new Date('2026-11-30T10:00:00Z'), 3, 'UTC').toISOString()).toBe('2026-11-30T13:00:00.000Z');
    expect(addWorkingHours(new Date('2026-11-30T16:00:00Z'), 4, 'UTC').toISOString()).toBe('2026-12-01T11:00:00.000Z');
  });

  it('skips the weekend', () => {
    expect(addWorkingHours(new Date('2026-12-04T20:00:00Z'), 2, 'UTC').toISOString()).toBe('2026-12-07T11:00:00.000Z');
  });

  it('in the account timezone; zero hours is now; an unknown zone counts in UTC', () => {
    // 13:00Z is 08:00 in New York: the first working hour starts at 14:00Z.
    expect(addWorkingHours(new Date('2026-11-30T13:00:00Z'), 1, 'America/New_York').toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(addWorkingHours(new Date('2026-11-30T13:00:00Z'), 0, 'America/New_York').toISOString()).toBe('2026-11-30T13:00:00.000Z');
    expect(addWorkingHours(new Date('2026-11-30T10:00:00Z'), 1, 'Not/AZone').toISOString()).toBe('2026-11-30T11:00:00.000Z');
  });
});
