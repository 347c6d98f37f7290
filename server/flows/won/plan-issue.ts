/**
 * Everything the Linear issue of a deal will be: content, team, state, project, labels and
 * assignee, with warnings. Used to create the issue and, unchanged, to preview it in the
 * settings page, so the preview can never disagree with what Won produces.
 */
import { kommoDealUrl, toLanguage, type Language } from '../../../shared/kommo';
import type { LinkWarning } from '../../domain/link';
import { ruleForPipeline, type InstallationSettings } from '../../domain/settings';
import { mainContactId } from './deal-fields';
import type { IssueCreateInput, KommoLead, PlanDeps } from './deps';
import { buildIssueContent, type IssueContent } from './issue-content';
import { resolveAssignee, resolveByNameOrId, resolveState, resolveTeam } from './issue-target';
import type { IssueTarget } from './trigger';

export interface IssuePlan {
  input: Omit<IssueCreateInput, 'id'>;
  content: IssueContent;
  teamName: string;
  stateName: string | null;
  projectName: string | null;
  assigneeName: string | null;
  language: Language;
  currency: string | null;
  warnings: LinkWarning[];
}

/** `target`: the firing rule (and an action's overrides); default: the pipeline's main rule. */
export async function planIssue(deps: PlanDeps, lead: KommoLead, settings: InstallationSettings, target?: IssueTarget): Promise<IssuePlan> {
  const { referenceData } = deps;
  const rule = target?.rule ?? ruleForPipeline(settings, lead.pipeline_id) ?? { labels: [] };
  const contactId = mainContactId(lead);
  const [contact, manager, account, fields, pipelines, teams, linearUsers] = await Promise.all([
    contactId === undefined ? undefined : deps.kommo.getContact(contactId),
    lead.responsible_user_id == null ? undefined : referenceData.kommoUser(lead.responsible_user_id),
    referenceData.account(),
    referenceData.leadFields(),
    referenceData.pipelines(),
    referenceData.teams(),
    referenceData.linearUsers(),
  ]);
  const team = resolveTeam(teams, rule, settings);
  const [states, projects, labels] = await Promise.all([
    referenceData.states(team.id),
    rule.project ? referenceData.projects() : [],
    rule.labels.length > 0 ? referenceData.labels() : [],
  ]);
  const language = settings.language ?? toLanguage(account.language);
  const dealUrl = kommoDealUrl(deps.installation.kommoBaseUrl, lead.id);
  const pipelineName = pipelines.find((p) => p.id === lead.pipeline_id)?.name;
  const built = buildIssueContent({ lead, contact, manager, account, pipelineName, fields, dealUrl }, settings, language);
  const content = target?.priority === undefined ? built : { ...built, priority: target.priority };
  const assignee = resolveAssignee(manager, linearUsers, settings);
  const state = resolveState(states, rule.state);
  const project = resolveByNameOrId(projects, rule.project);
  const teamLabels = labels.filter((x) => x.teamId === null || x.teamId === team.id);
  const labelIds = rule.labels.map((l) => resolveByNameOrId(teamLabels, l)?.id).filter((id): id is string => id !== undefined);
  const warnings: LinkWarning[] = [
    ...(assignee.warning ? [assignee.warning] : []),
    ...(rule.project && !project ? [{ code: 'project_not_found', message: `Linear project "${rule.project}" was not found; created without a project` }] : []),
    ...(labelIds.length < rule.labels.length ? [{ code: 'label_not_found', message: 'Some labels of the rule do not exist in Linear; created without them' }] : []),
  ];
  return {
    input: {
      teamId: team.id,
      title: content.title,
      description: content.description,
      priority: content.priority,
      ...(content.dueDate ? { dueDate: content.dueDate } : {}),
      ...(assignee.assigneeId ? { assigneeId: assignee.assigneeId } : {}),
      ...(state ? { stateId: state.id } : {}),
      ...(project ? { projectId: project.id } : {}),
      ...(labelIds.length > 0 ? { labelIds } : {}),
    },
    content,
    teamName: team.name,
    stateName: state?.name ?? null,
    projectName: project?.name ?? null,
    assigneeName: assignee.assigneeId ? (linearUsers.find((u) => u.id === assignee.assigneeId)?.name ?? null) : null,
    language,
    currency: account.currency ?? null,
    warnings,
  };
}
