import { entityNotFound, inputError } from './errors';
import { issueCreateInput, type IssueCreateFields } from './inputs';
import type { FakeLinearStore } from './store';
import type { TemplateRecord } from './types';
import { newId, nowIso } from './util';

export interface TemplateSeed {
  name: string;
  /** UUID or key of the team; absent = a workspace template every team can use. */
  team?: string;
  templateData: Record<string, unknown>;
  type?: string;
  id?: string;
  description?: string;
}

export function addTemplate(store: FakeLinearStore, seed: TemplateSeed): TemplateRecord {
  const team = seed.team === undefined ? undefined : store.findTeam(seed.team);
  if (seed.team !== undefined && !team) throw new Error(`No team ${seed.team} in the fake Linear store`);
  const at = nowIso();
  const template: TemplateRecord = {
    id: seed.id ?? newId(),
    name: seed.name,
    description: seed.description ?? null,
    type: seed.type ?? 'issue',
    teamId: team?.id ?? null,
    templateData: seed.templateData,
    sortOrder: store.templatesById.size,
    createdAt: at,
    updatedAt: at,
  };
  store.templatesById.set(template.id, template);
  return template;
}

/** The fields the template pre-fills, as `IssueCreateInput` keys (anything else in it is ignored). */
const templateFields = issueCreateInput.omit({ id: true, teamId: true, createdAt: true, templateId: true }).partial();

/**
 * Linear's `templateId` on issueCreate: the template's fields first, then every field given in the
 * input on top ("If other values are provided in the input, they will override template values").
 */
export function withTemplate(store: FakeLinearStore, input: IssueCreateFields): IssueCreateFields {
  if (!input.templateId) return input;
  const template = store.templatesById.get(input.templateId);
  if (!template) throw entityNotFound('Template');
  if (template.type !== 'issue') throw inputError('The template is not an issue template.');
  const team = store.findTeam(input.teamId);
  if (template.teamId !== null && template.teamId !== team?.id) throw inputError('The template does not belong to the issue team.');
  const parsed = templateFields.safeParse(template.templateData);
  const base = parsed.success ? parsed.data : {};
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== null));
  return { ...base, ...given, teamId: input.teamId };
}
