import type { DateComparator, IdComparator, IssueFilter, NumberComparator, StringComparator, TeamFilter } from './inputs';
import type { FakeLinearStore } from './store';
import type { IssueRecord, TeamRecord } from './types';

/** Only the comparators the product uses; any other filter key is ignored rather than rejected. */
export function matchesId(c: IdComparator | null | undefined, value: string | null): boolean {
  if (!c) return true;
  if (c.eq != null && value !== c.eq) return false;
  if (c.neq != null && value === c.neq) return false;
  if (c.in != null && (value === null || !c.in.includes(value))) return false;
  if (c.nin != null && value !== null && c.nin.includes(value)) return false;
  return true;
}

export function matchesString(c: StringComparator | null | undefined, value: string | null): boolean {
  if (!c) return true;
  if (!matchesId(c, value)) return false;
  const lower = value?.toLowerCase() ?? '';
  if (c.eqIgnoreCase != null && lower !== c.eqIgnoreCase.toLowerCase()) return false;
  if (c.containsIgnoreCase != null && !lower.includes(c.containsIgnoreCase.toLowerCase())) return false;
  if (c.contains != null && !(value ?? '').includes(c.contains)) return false;
  return true;
}

function matchesNumber(c: NumberComparator | null | undefined, value: number): boolean {
  if (!c) return true;
  if (c.eq != null && value !== c.eq) return false;
  if (c.in != null && !c.in.includes(value)) return false;
  return true;
}

export function matchesDate(c: DateComparator | null | undefined, value: string): boolean {
  if (!c) return true;
  const t = Date.parse(value);
  const cmp = (bound: string | null | undefined, ok: (a: number, b: number) => boolean): boolean =>
    bound == null || ok(t, Date.parse(bound));
  return (
    cmp(c.eq, (a, b) => a === b) &&
    cmp(c.gt, (a, b) => a > b) &&
    cmp(c.gte, (a, b) => a >= b) &&
    cmp(c.lt, (a, b) => a < b) &&
    cmp(c.lte, (a, b) => a <= b)
  );
}

export function matchesTeam(filter: TeamFilter | null | undefined, team: TeamRecord | undefined): boolean {
  if (!filter) return true;
  if (!team) return false;
  return matchesId(filter.id, team.id) && matchesString(filter.key, team.key) && matchesString(filter.name, team.name);
}

export function matchesIssue(store: FakeLinearStore, filter: IssueFilter | null | undefined, issue: IssueRecord): boolean {
  if (!filter) return true;
  const state = store.statesById.get(issue.stateId);
  const attachmentUrls = store.attachments().filter((a) => a.issueId === issue.id).map((a) => a.url);
  return (
    matchesId(filter.id, issue.id) &&
    matchesNumber(filter.number, issue.number) &&
    matchesDate(filter.updatedAt, issue.updatedAt) &&
    matchesDate(filter.createdAt, issue.createdAt) &&
    matchesTeam(filter.team, store.teamsById.get(issue.teamId)) &&
    matchesString(filter.title, issue.title) &&
    matchesId(filter.state?.id, issue.stateId) &&
    matchesString(filter.state?.type, state?.type ?? null) &&
    matchesId(filter.assignee?.id, issue.assigneeId) &&
    (!filter.attachments?.url || attachmentUrls.some((url) => matchesString(filter.attachments?.url, url)))
  );
}
