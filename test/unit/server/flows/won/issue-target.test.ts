import { AppError } from '../../../../../server/errors';
import { resolveAssignee, resolveState, resolveTeam } from '../../../../../server/flows/won/issue-target';
import { parseSettings } from '../../../../../server/domain/settings';
import { linearUser, state, team, user } from '../../../support/kommo-records';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('resolveTeam', () => {
  const eng = team('ENG', 'Engineering');
  const ops = team('OPS', 'Operations');
  const teams = [eng, ops];
  const none = parseSettings({});

  it('finds the rule team by key, case-insensitively', () => {
    expect(resolveTeam(teams, { team: 'ops', labels: [] }, none)).toBe(ops);
  });

  it('finds a team by id and by name', () => {
    expect(resolveTeam(teams, { team: 'team-ops', labels: [] }, none)).toBe(ops);
    expect(resolveTeam(teams, { team: ' engineering ', labels: [] }, none)).toBe(eng);
  });

  it("uses the settings' team when the rule names none, and the rule's over the settings'", () => {
    const settings = parseSettings({ team: 'OPS' });
    expect(resolveTeam(teams, { labels: [] }, settings)).toBe(ops);
    expect(resolveTeam(teams, { team: 'ENG', labels: [] }, settings)).toBe(eng);
  });

  it('defaults to the only team of the workspace', () => {
    expect(resolveTeam([eng], { labels: [] }, none)).toBe(eng);
  });

  it('asks for a team when several exist and none is chosen', () => {
    const error = thrown(() => resolveTeam(teams, { labels: [] }, none));
    expect(error.code).toBe('not_configured');
    expect(error.message).toContain('2 teams');
    expect(thrown(() => resolveTeam([], { labels: [] }, none)).code).toBe('not_configured');
  });

  it('refuses a team that does not exist', () => {
    const error = thrown(() => resolveTeam(teams, { team: 'SALES', labels: [] }, none));
    expect(error.code).toBe('not_configured');
    expect(error.message).toContain('"SALES"');
  });

  it('prefers a key match over another team whose name matches', () => {
    const support = team('SUP', 'Ops');
    expect(resolveTeam([support, ops], { team: 'ops', labels: [] }, none)).toBe(ops);
  });
});

describe('resolveState', () => {
  const states = [
    state('Done', 'completed', 4),
    state('Todo', 'unstarted', 2),
    state('Icebox', 'backlog', 1),
    state('Backlog', 'backlog', 0),
    state('In Progress', 'started', 3),
  ];

  it('finds a state by name, case-insensitively, or by id', () => {
    expect(resolveState(states, 'todo')?.id).toBe('state-todo');
    expect(resolveState(states, 'state-done')?.id).toBe('state-done');
  });

  it('finds the first state of a type by position', () => {
    expect(resolveState(states, 'backlog')?.name).toBe('Backlog');
    expect(resolveState(states, 'started')?.name).toBe('In Progress');
  });

  it('prefers a name match over a type match', () => {
    const odd = [state('Started', 'unstarted', 5), state('Doing', 'started', 1)];
    expect(resolveState(odd, 'started')?.name).toBe('Started');
  });

  it('defaults to the backlog state with the lowest position', () => {
    expect(resolveState(states, undefined)?.name).toBe('Backlog');
    expect(resolveState(states, 'no such state')?.name).toBe('Backlog');
  });

  it('returns undefined when the team has no backlog and nothing matches', () => {
    expect(resolveState([state('Todo', 'unstarted', 0)], undefined)).toBeUndefined();
  });
});

describe('resolveAssignee', () => {
  const users = [
    linearUser('u-anna', 'Anna@Acme.com'),
    linearUser('u-old', 'old@acme.com', false),
    linearUser('u-dev', 'anna.dev@acme.com'),
    linearUser('u-null', null, null),
  ];
  const none = parseSettings({});

  it('matches the manager email case-insensitively', () => {
    expect(resolveAssignee(user({ email: 'ANNA@acme.com' }), users, none)).toEqual({ assigneeId: 'u-anna', warning: undefined });
  });

  it('ignores inactive users', () => {
    const choice = resolveAssignee(user({ email: 'old@acme.com' }), users, none);
    expect(choice.assigneeId).toBeUndefined();
    expect(choice.warning).toEqual({ code: 'assignee_not_found', message: expect.stringContaining('no user with old@acme.com') });
  });

  it('treats a user without the active flag as active', () => {
    expect(resolveAssignee(user({ email: 'x@acme.com' }), [linearUser('u-x', 'x@acme.com', null)], none).assigneeId).toBe('u-x');
  });

  it('applies an override by Kommo id to a Linear email', () => {
    const settings = parseSettings({ userOverrides: [{ kommo: 11, linear: 'ANNA.DEV@acme.com' }] });
    expect(resolveAssignee(user({ id: 11 }), users, settings)).toEqual({ assigneeId: 'u-dev', warning: undefined });
  });

  it('applies an override by Kommo email to a Linear id', () => {
    const settings = parseSettings({ userOverrides: [{ kommo: 'anna@ACME.com', linear: 'u-dev' }] });
    expect(resolveAssignee(user({ id: 99, email: 'anna@acme.com' }), users, settings).assigneeId).toBe('u-dev');
  });

  it('warns when the override points to a missing or inactive user, without falling back to the email', () => {
    for (const target of ['u-gone', 'old@acme.com']) {
      const settings = parseSettings({ userOverrides: [{ kommo: 11, linear: target }] });
      const choice = resolveAssignee(user(), users, settings);
      expect(choice.assigneeId).toBeUndefined();
      expect(choice.warning?.code).toBe('assignee_not_found');
      expect(choice.warning?.message).toContain('the override for Anna Sales');
    }
  });

  it('warns when the deal has no manager', () => {
    expect(resolveAssignee(undefined, users, none)).toEqual({
      assigneeId: undefined,
      warning: { code: 'assignee_not_found', message: expect.stringContaining('no responsible manager') },
    });
  });

  it('warns when the manager has no email in Kommo', () => {
    const choice = resolveAssignee(user({ email: null }), users, none);
    expect(choice.assigneeId).toBeUndefined();
    expect(choice.warning?.message).toContain('Anna Sales has no email in Kommo');
  });
});
