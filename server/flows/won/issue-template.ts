/**
 * A rule's Linear issue template. Linear fills the issue from the template first and every field
 * we send overrides the template's; the template's Markdown description is kept under our deal
 * block, since sending ours would replace it. Pure: no I/O.
 */
import type { LinkWarning } from '../../domain/link';
import type { IssueCreateInput, LinearTemplate } from './deps';

type Input = Omit<IssueCreateInput, 'id'>;

/** What a template brings that our fields leave standing, for the preview ("Estimate: 3"). */
export interface TemplateField {
  field: string;
  value: string;
}

export interface AppliedTemplate {
  id: string;
  name: string;
  fields: TemplateField[];
}

/** Names of what template fields point to, for the preview. */
export interface TemplateNames {
  states: Array<{ id: string; name: string }>;
  users: Array<{ id: string; name: string }>;
  projects: Array<{ id: string; name: string }>;
  labels: Array<{ id: string; name: string }>;
}

const nameOf = (items: Array<{ id: string; name: string }>, id: unknown) =>
  typeof id === 'string' ? (items.find((i) => i.id === id)?.name ?? id) : String(id);

/** Template keys as IssueCreateInput has them → how the preview names them and their values. */
const SHOWN: Record<string, { label: string; show: (value: unknown, names: TemplateNames) => string }> = {
  stateId: { label: 'State', show: (v, n) => nameOf(n.states, v) },
  assigneeId: { label: 'Assignee', show: (v, n) => nameOf(n.users, v) },
  projectId: { label: 'Project', show: (v, n) => nameOf(n.projects, v) },
  labelIds: { label: 'Labels', show: (v, n) => (Array.isArray(v) ? v.map((id) => nameOf(n.labels, id)).join(', ') : String(v)) },
  dueDate: { label: 'Due date', show: String },
  estimate: { label: 'Estimate', show: String },
  cycleId: { label: 'Cycle', show: () => 'set by the template' },
  projectMilestoneId: { label: 'Milestone', show: () => 'set by the template' },
  parentId: { label: 'Parent issue', show: String },
  subscriberIds: { label: 'Subscribers', show: (v, n) => (Array.isArray(v) ? v.map((id) => nameOf(n.users, id)).join(', ') : String(v)) },
};

/** Whether the template sets something that needs these lists to be named. */
export function templateNeeds(template: LinearTemplate | undefined): { projects: boolean; labels: boolean } {
  return { projects: template?.data['projectId'] != null, labels: Array.isArray(template?.data['labelIds']) };
}

/** The template's priority and state, which stand in for our defaults (never for a rule's or a tag's choice). */
export function templateDefaults<S extends { id: string }>(template: LinearTemplate | undefined, states: S[]): { priority?: number; state?: S } {
  const priority = template?.data['priority'];
  const stateId = template?.data['stateId'];
  return {
    ...(typeof priority === 'number' && Number.isInteger(priority) && priority >= 0 && priority <= 4 ? { priority } : {}),
    ...(typeof stateId === 'string' ? { state: states.find((s) => s.id === stateId) } : {}),
  };
}

export const TEMPLATE_GONE: LinkWarning = {
  code: 'template_not_found',
  message: "The rule's Linear template no longer exists for this team; created without it",
};

/** The rule's template among the team's, or a warning when Linear no longer has it there. */
export function findTemplate(templates: LinearTemplate[], templateId: string | null | undefined): { template?: LinearTemplate; warning?: LinkWarning } {
  if (!templateId) return {};
  const template = templates.find((t) => t.id === templateId);
  return template ? { template } : { warning: TEMPLATE_GONE };
}

/** Our input with the template applied: its id, and its Markdown description under ours. */
export function withTemplate(input: Input, template: LinearTemplate): Input {
  const own = template.data['description'];
  const description = typeof own === 'string' && own.trim() ? `${input.description.trimEnd()}\n\n${own.trim()}\n` : input.description;
  return { ...input, description, templateId: template.id };
}

/** What the template still sets on the issue once our fields went on top. */
export function templateResult(input: Input, template: LinearTemplate, names: TemplateNames): { applied: AppliedTemplate; warnings: LinkWarning[] } {
  const ours = new Set(Object.keys(input));
  const fields = Object.entries(template.data).flatMap(([key, value]) => {
    const shown = SHOWN[key];
    if (!shown || ours.has(key) || value == null || (Array.isArray(value) && value.length === 0)) return [];
    return [{ field: shown.label, value: shown.show(value, names) }];
  });
  const richOnly = typeof template.data['description'] !== 'string' && template.data['descriptionData'] != null;
  const warnings: LinkWarning[] = richOnly
    ? [{ code: 'template_description', message: `The description of the template "${template.name}" is rich text only: the issue gets our description instead` }]
    : [];
  return { applied: { id: template.id, name: template.name, fields }, warnings };
}
