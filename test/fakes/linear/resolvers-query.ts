import { z } from 'zod';
import { toConnection } from './connection';
import type { FakeContext } from './context';
import { entityNotFound } from './errors';
import { matchesId, matchesIssue, matchesString, matchesTeam } from './filters';
import { connectionArgs, issueFilter, teamFilter } from './inputs';
import type { IssueRecord } from './types';

type Args = Record<string, unknown>;

const idArg = z.object({ id: z.string() });
const teamsArgs = connectionArgs.extend({ filter: teamFilter.nullish() });
const namedFilter = z
  .object({
    id: z.object({ eq: z.string().nullish(), in: z.array(z.string()).nullish() }).partial().nullish(),
    name: z.object({ eq: z.string().nullish(), eqIgnoreCase: z.string().nullish(), containsIgnoreCase: z.string().nullish() }).partial().nullish(),
    team: teamFilter.nullish(),
    type: z.object({ eq: z.string().nullish(), in: z.array(z.string()).nullish() }).partial().nullish(),
  })
  .partial();
const namedArgs = connectionArgs.extend({ filter: namedFilter.nullish() });
const usersArgs = connectionArgs.extend({ includeDisabled: z.boolean().nullish() });
const issuesArgs = connectionArgs.extend({ filter: issueFilter.nullish() });
const searchArgs = issuesArgs.extend({ term: z.string(), teamId: z.string().nullish() });
const urlArgs = connectionArgs.extend({ url: z.string() });

function visible(issue: IssueRecord, includeArchived: boolean | null | undefined): boolean {
  return includeArchived === true || (!issue.archivedAt && !issue.trashed);
}

export const queryResolvers = {
  viewer: (_: unknown, __: Args, { store }: FakeContext) => store.viewer(),
  organization: (_: unknown, __: Args, { store }: FakeContext) => store.organization,
  teams: (_: unknown, args: Args, { store }: FakeContext) => {
    const a = teamsArgs.parse(args);
    return toConnection(store.teams().filter((t) => matchesTeam(a.filter, t)), a);
  },
  team: (_: unknown, args: Args, { store }: FakeContext) => {
    const team = store.findTeam(idArg.parse(args).id);
    if (!team) throw entityNotFound('Team', true);
    return team;
  },
  workflowStates: (_: unknown, args: Args, { store }: FakeContext) => {
    const a = namedArgs.parse(args);
    const states = [...store.statesById.values()].filter(
      (s) =>
        matchesId(a.filter?.id, s.id) &&
        matchesString(a.filter?.name, s.name) &&
        matchesString(a.filter?.type, s.type) &&
        matchesTeam(a.filter?.team, store.teamsById.get(s.teamId)),
    );
    return toConnection(states, a);
  },
  workflowState: (_: unknown, args: Args, { store }: FakeContext) => {
    const state = store.statesById.get(idArg.parse(args).id);
    if (!state) throw entityNotFound('WorkflowState', true);
    return state;
  },
  users: (_: unknown, args: Args, { store }: FakeContext) => {
    const a = usersArgs.parse(args);
    return toConnection(store.users().filter((u) => a.includeDisabled === true || u.active), a);
  },
  user: (_: unknown, args: Args, { store }: FakeContext) => {
    const user = store.usersById.get(idArg.parse(args).id);
    if (!user) throw entityNotFound('User', true);
    return user;
  },
  projects: (_: unknown, args: Args, { store }: FakeContext) => {
    const a = namedArgs.parse(args);
    const projects = [...store.projectsById.values()].filter(
      (p) => matchesId(a.filter?.id, p.id) && matchesString(a.filter?.name, p.name),
    );
    return toConnection(projects, a);
  },
  project: (_: unknown, args: Args, { store }: FakeContext) => {
    const project = store.projectsById.get(idArg.parse(args).id);
    if (!project) throw entityNotFound('Project', true);
    return project;
  },
  issueLabel: (_: unknown, args: Args, { store }: FakeContext) => {
    const label = store.labelsById.get(idArg.parse(args).id);
    if (!label) throw entityNotFound('IssueLabel', true);
    return label;
  },
  issueLabels: (_: unknown, args: Args, { store }: FakeContext) => {
    const a = namedArgs.parse(args);
    const labels = [...store.labelsById.values()].filter(
      (l) =>
        matchesId(a.filter?.id, l.id) &&
        matchesString(a.filter?.name, l.name) &&
        (!a.filter?.team || (l.teamId !== null && matchesTeam(a.filter.team, store.teamsById.get(l.teamId)))),
    );
    return toConnection(labels, a);
  },
  issue: (_: unknown, args: Args, { store }: FakeContext) => {
    const issue = store.findIssue(idArg.parse(args).id);
    if (!issue) throw entityNotFound('Issue', true);
    return issue;
  },
  issues: (_: unknown, args: Args, { store }: FakeContext) => {
    const a = issuesArgs.parse(args);
    const issues = store.issues().filter((i) => visible(i, a.includeArchived) && matchesIssue(store, a.filter, i));
    return toConnection(issues, a);
  },
  searchIssues: (_: unknown, args: Args, { store }: FakeContext) => {
    const a = searchArgs.parse(args);
    const term = a.term.trim().toLowerCase();
    const team = a.teamId ? store.findTeam(a.teamId) : undefined;
    const hits = store
      .issues()
      .filter((i) => visible(i, a.includeArchived) && matchesIssue(store, a.filter, i))
      .filter((i) => !team || i.teamId === team.id)
      .filter((i) => i.identifier.toLowerCase().includes(term) || i.title.toLowerCase().includes(term));
    const page = toConnection(hits, a);
    return { ...page, totalCount: hits.length, archivePayload: {} };
  },
  attachmentsForURL: (_: unknown, args: Args, { store }: FakeContext) => {
    const a = urlArgs.parse(args);
    return toConnection(store.attachments().filter((att) => att.url === a.url), a);
  },
  attachment: (_: unknown, args: Args, { store }: FakeContext) => {
    const attachment = store.attachmentsById.get(idArg.parse(args).id);
    if (!attachment) throw entityNotFound('Attachment', true);
    return attachment;
  },
  /** Every template of the workspace (team and workspace ones, of every type), a plain list. */
  templates: (_: unknown, __: Args, { store }: FakeContext) => [...store.templatesById.values()],
  template: (_: unknown, args: Args, { store }: FakeContext) => {
    const template = store.templatesById.get(idArg.parse(args).id);
    if (!template) throw entityNotFound('Template', true);
    return template;
  },
  webhooks: (_: unknown, args: Args, { store }: FakeContext) => toConnection(store.webhooks(), connectionArgs.parse(args)),
  webhook: (_: unknown, args: Args, { store }: FakeContext) => {
    const webhook = store.webhooksById.get(idArg.parse(args).id);
    if (!webhook) throw entityNotFound('Webhook', true);
    return webhook;
  },
};
