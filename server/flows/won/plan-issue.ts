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
import { buildIssueContent, tagPriority, type IssueContent } from './issue-content';
import { resolveAssignee, resolveByNameOrId, resolveState, resolveTeam } from './issue-target';
import { findTemplate, templateDefaults, templateNeeds, templateResult, withTemplate, type AppliedTemplate } from './issue-template';
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
  /** The rule's Linear template and what it still sets under our fields; `notes`: preview-only remarks. */
  template: (AppliedTemplate & { notes: LinkWarning[] }) | null;
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
  const found = findTemplate(rule.templateId ? await referenceData.templates(team.id) : [], rule.templateId);
  const needs = templateNeeds(found.template);
  const [states, projects, labels] = await Promise.all([
    referenceData.states(team.id),
    rule.project || needs.projects ? referenceData.projects() : [],
    rule.labels.length > 0 || needs.labels ? referenceData.labels() : [],
  ]);
  const language = settings.language ?? toLanguage(account.language);
  const dealUrl = kommoDealUrl(deps.installation.kommoBaseUrl, lead.id);
  const pipelineName = pipelines.find((p) => p.id === lead.pipeline_id)?.name;
  const built = buildIssueContent({ lead, contact, manager, account, pipelineName, fields, dealUrl }, settings, language);
  // Our defaults (the default priority, the backlog state) give way to the template's; what the deal or the rule says does not.
  const defaults = templateDefaults(found.template, states);
  const explicitPriority = target?.priority ?? tagPriority(lead, settings);
  const priority = explicitPriority ?? defaults.priority ?? built.priority;
  const content = priority === built.priority ? built : { ...built, priority };
  const assignee = resolveAssignee(manager, linearUsers, settings);
  const state = (rule.state ? undefined : defaults.state) ?? resolveState(states, rule.state);
  const project = resolveByNameOrId(projects, rule.project);
  const teamLabels = labels.filter((x) => x.teamId === null || x.teamId === team.id);
  const labelIds = rule.labels.map((l) => resolveByNameOrId(teamLabels, l)?.id).filter((id): id is string => id !== undefined);
  const warnings: LinkWarning[] = [
    ...(assignee.warning ? [assignee.warning] : []),
    ...(rule.project && !project ? [{ code: 'project_not_found', message: `Linear project "${rule.project}" was not found; created without a project` }] : []),
    ...(labelIds.length < rule.labels.length ? [{ code: 'label_not_found', message: 'Some labels of the rule do not exist in Linear; created without them' }] : []),
    ...(found.warning ? [found.warning] : []),
  ];
  const input: IssuePlan['input'] = {
    teamId: team.id,
    title: content.title,
    description: content.description,
    priority: content.priority,
    ...(content.dueDate ? { dueDate: content.dueDate } : {}),
    ...(assignee.assigneeId ? { assigneeId: assignee.assigneeId } : {}),
    ...(state ? { stateId: state.id } : {}),
    ...(project ? { projectId: project.id } : {}),
    ...(labelIds.length > 0 ? { labelIds } : {}),
  };
  const result = found.template ? templateResult(input, found.template, { states, users: linearUsers, projects, labels }) : undefined;
  return {
    input: found.template ? withTemplate(input, found.template) : input,
    template: found.template && result ? { ...result.applied, notes: result.warnings } : null,
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
