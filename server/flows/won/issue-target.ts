/**
 * Where the issue goes in Linear and to whom: team, initial state, project, labels and assignee,
 * resolved from the pipeline rule, the settings and Linear's own lists. Pure: no I/O.
 */
import type { LinkWarning } from '../../domain/link';
import type { InstallationSettings, PipelineRule } from '../../domain/settings';
import { AppError } from '../../errors';
import type { KommoUser, LinearState, LinearTeam, LinearUser } from './deps';

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function resolveTeam(teams: LinearTeam[], rule: PipelineRule, settings: InstallationSettings): LinearTeam {
  const wanted = rule.team ?? settings.team;
  if (!wanted) {
    if (teams.length === 1 && teams[0]) return teams[0];
    throw new AppError('not_configured', `Choose a Linear team in the settings: the workspace has ${teams.length} teams`);
  }
  const team = teams.find((t) => t.id === wanted) ?? teams.find((t) => same(t.key, wanted)) ?? teams.find((t) => same(t.name, wanted));
  if (!team) throw new AppError('not_configured', `Linear team "${wanted}" was not found; pick an existing team in the settings`);
  return team;
}

/** The rule's state by name or type; default: the team's first backlog state. */
export function resolveState(states: LinearState[], wanted: string | undefined): LinearState | undefined {
  const sorted = [...states].sort((a, b) => a.position - b.position);
  if (wanted) {
    const byName = sorted.find((s) => same(s.name, wanted) || s.id === wanted);
    if (byName) return byName;
    const byType = sorted.find((s) => same(s.type, wanted));
    if (byType) return byType;
  }
  return sorted.find((s) => s.type === 'backlog');
}

export interface AssigneeChoice {
  assigneeId: string | undefined;
  warning: LinkWarning | undefined;
}

/** An explicit override wins; else the manager's email matched case-insensitively; else nobody. */
export function resolveAssignee(
  manager: KommoUser | undefined,
  users: LinearUser[],
  settings: InstallationSettings,
): AssigneeChoice {
  if (!manager) {
    return { assigneeId: undefined, warning: { code: 'assignee_not_found', message: 'The deal has no responsible manager: created unassigned' } };
  }
  const active = users.filter((u) => u.active !== false);
  const override = settings.userOverrides.find(
    (o) => o.kommo === manager.id || (typeof o.kommo === 'string' && manager.email != null && same(o.kommo, manager.email)),
  );
  if (override) {
    const target = active.find((u) => u.id === override.linear || (u.email != null && same(u.email, override.linear)));
    if (target) return { assigneeId: target.id, warning: undefined };
    return {
      assigneeId: undefined,
      warning: { code: 'assignee_not_found', message: `Assignee not found in Linear: the override for ${manager.name} points to no active user; created unassigned` },
    };
  }
  const email = manager.email;
  const match = email ? active.find((u) => u.email != null && same(u.email, email)) : undefined;
  if (match) return { assigneeId: match.id, warning: undefined };
  return {
    assigneeId: undefined,
    warning: {
      code: 'assignee_not_found',
      message: email
        ? `Assignee not found in Linear: no user with ${email}; created unassigned`
        : `Assignee not found in Linear: ${manager.name} has no email in Kommo; created unassigned`,
    },
  };
}

export function resolveByNameOrId<T extends { id: string; name: string }>(items: T[], wanted: string | undefined): T | undefined {
  if (!wanted) return undefined;
  return items.find((i) => i.id === wanted) ?? items.find((i) => same(i.name, wanted));
}
