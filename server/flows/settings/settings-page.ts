/**
 * The settings page's actions: save (validated against what Linear and Kommo really have, atomic,
 * recorded), connect or remove the Linear key (checked with Linear at once), and preview the issue
 * a deal would produce without creating anything.
 */
import { randomUUID } from 'node:crypto';
import type { Preview, SettingsView } from '../../../shared/settings-api';
import { SettingsSchema, type InstallationSettings } from '../../domain/settings';
import { AppError } from '../../errors';
import { fieldText, fieldValue, toDueDate } from '../won/deal-fields';
import { resolveState } from '../won/issue-target';
import { planIssue } from '../won/plan-issue';
import type { SettingsPageDeps } from './deps';
import { previewRules } from './preview-rules';
import { buildSettingsView } from './settings-view';

export function createSettingsPage(deps: SettingsPageDeps) {
  const settingsNow = () => deps.installation.settings;
  return {
    view: (isAdmin: boolean): Promise<SettingsView> => buildSettingsView(deps, settingsNow(), isAdmin),

    async save(input: unknown, userId: number | null): Promise<SettingsView> {
      const settings = withRuleIds(parseSettingsInput(input));
      await checkAgainstUpstreams(deps, settings);
      const before = settingsNow();
      await deps.saveSettings(settings, { userId, summary: summarize(before, settings), before });
      return buildSettingsView({ ...deps, installation: { ...deps.installation, settings } }, settings, true);
    },

    async connectLinear(apiKey: string): Promise<{ workspace: string; user: string }> {
      const viewer = await deps
        .linearFor(apiKey)
        .viewer()
        .catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'linear_unauthorized') {
            throw new AppError('bad_request', 'Linear refused this API key; create a new one in Linear → Settings → Security & access', { field: 'apiKey' });
          }
          throw error;
        });
      await deps.saveLinearKey(apiKey, viewer.viewer.id);
      await deps.forgetLinearCaches();
      return { workspace: viewer.organization.name, user: viewer.viewer.name };
    },

    /** For a Linear webhook created by hand (a key that may not register webhooks): its signing secret. */
    async setLinearWebhookSecret(secret: string): Promise<SettingsView> {
      await deps.saveLinearWebhookSecret(secret);
      const installation = { ...deps.installation, linearWebhookConfigured: true, linearWebhookId: null };
      return buildSettingsView({ ...deps, installation }, settingsNow(), true);
    },

    async disconnectLinear(): Promise<void> {
      await deps.saveLinearKey(null, null);
      await deps.forgetLinearCaches();
    },

    async preview(leadId: number, input: unknown): Promise<Preview> {
      const settings = input === undefined ? settingsNow() : parseSettingsInput(input);
      const lead = await deps.kommo.getLead(leadId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'kommo_not_found') throw new AppError('not_found', `Kommo has no deal #${leadId}`);
        throw error;
      });
      const rules = previewRules(settings, await deps.referenceData.pipelines().catch(() => []), lead);
      const plan = await planIssue(deps, lead, settings, rules.firstFiring ? { rule: rules.firstFiring } : undefined);
      const warnings = [...plan.warnings, ...(plan.template?.notes ?? [])];
      if (rules.shown.length === 0) {
        warnings.push({ code: 'pipeline_not_configured', message: 'No rule creates issues for this deal\'s pipeline' });
      } else if (!rules.firstFiring) {
        warnings.push({ code: 'no_rule_fires', message: 'The deal has not reached the stage of any rule yet: the preview uses the pipeline\'s first rule' });
      }
      const spec = fieldValue(lead, await deps.referenceData.leadFields(), settings.fields.spec);
      if (fieldText(spec) === undefined) warnings.push({ code: 'no_spec', message: `The "${settings.fields.spec}" field is empty` });
      const today = toDueDate(Math.floor(Date.now() / 1000), undefined) ?? '';
      if (plan.content.dueDate && plan.content.dueDate < today) {
        warnings.push({ code: 'deadline_past', message: `The deadline ${plan.content.dueDate} is in the past` });
      }
      await deps.markPreviewed();
      return {
        title: plan.content.title,
        description: plan.input.description,
        team: plan.teamName,
        state: plan.stateName,
        project: plan.projectName,
        assignee: plan.assigneeName,
        priority: plan.content.priority,
        dueDate: plan.content.dueDate ?? null,
        warnings,
        rules: rules.shown,
        template: plan.template ? { name: plan.template.name, fields: plan.template.fields } : null,
      };
    },
  };
}

export type SettingsPage = ReturnType<typeof createSettingsPage>;

function parseSettingsInput(input: unknown): InstallationSettings {
  const parsed = SettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError('bad_request', issue?.message ?? 'The settings are invalid', { field: issue?.path.map(String).join('.') || 'settings' });
}

/** Names that must exist where they are chosen; checked only where the upstream is reachable. */
async function checkAgainstUpstreams(deps: SettingsPageDeps, settings: InstallationSettings): Promise<void> {
  const wrong = (field: string, message: string) => new AppError('bad_request', message, { field });
  const [teams, pipelines] = await Promise.all([
    deps.installation.linearConnected ? deps.referenceData.teams().catch(() => undefined) : undefined,
    deps.referenceData.pipelines().catch(() => undefined),
  ]);
  const findTeam = (wanted: string) => teams?.find((t) => t.id === wanted || t.key.toLowerCase() === wanted.toLowerCase());
  if (teams && settings.team && !findTeam(settings.team)) throw wrong('team', `Linear has no team "${settings.team}"`);
  for (const [i, rule] of settings.rules.entries()) {
    if (pipelines && rule.pipelineId !== undefined && !pipelines.some((p) => p.id === rule.pipelineId)) {
      throw wrong(`rules.${i}.pipelineId`, `Kommo has no pipeline ${rule.pipelineId}`);
    }
    const pipeline = rule.pipelineId !== undefined ? pipelines?.find((p) => p.id === rule.pipelineId) : undefined;
    if (pipeline && rule.statusId !== undefined && !(pipeline._embedded?.statuses ?? []).some((st) => st.id === rule.statusId)) {
      throw wrong(`rules.${i}.statusId`, `Pipeline "${pipeline.name}" has no stage ${rule.statusId}`);
    }
    const teamName = rule.team ?? settings.team;
    const team = teamName && teams ? findTeam(teamName) : undefined;
    if (rule.team && teams && !team) throw wrong(`rules.${i}.team`, `Linear has no team "${rule.team}"`);
    if (rule.templateId && team) {
      const templates = await deps.referenceData.templates(team.id).catch(() => undefined);
      if (templates && !templates.some((t) => t.id === rule.templateId)) {
        throw wrong(`rules.${i}.templateId`, `Team ${team.key} has no Linear issue template ${rule.templateId}`);
      }
    }
    if (rule.state && team) {
      const states = await deps.referenceData.states(team.id);
      const found = resolveState(states, rule.state);
      if (!found || (found.name.toLowerCase() !== rule.state.toLowerCase() && found.type !== rule.state.toLowerCase() && found.id !== rule.state)) {
        throw wrong(`rules.${i}.state`, `Team ${team.key} has no state or state type "${rule.state}"`);
      }
    }
  }
  for (const outcome of ['completed', 'canceled'] as const) {
    const move = settings.followUp[outcome].moveTo;
    const pipeline = move && pipelines?.find((p) => p.id === move.pipelineId);
    if (!move || !pipelines) continue;
    if (!pipeline) throw wrong(`followUp.${outcome}.moveTo.pipelineId`, `Kommo has no pipeline ${move.pipelineId}`);
    if (!(pipeline._embedded?.statuses ?? []).some((st) => st.id === move.statusId)) {
      throw wrong(`followUp.${outcome}.moveTo.statusId`, `Pipeline "${pipeline.name}" has no stage ${move.statusId}`);
    }
  }
}

/**
 * Each rule fills its own link per deal. The first rule without an id in a pipeline keeps the
 * key deals had before trigger stages (`won`); any other rule without one gets an id now, and
 * an id used twice is refused.
 */
function withRuleIds(settings: InstallationSettings): InstallationSettings {
  const idless = new Set<string>();
  const ids = new Set<string>();
  const rules = settings.rules.map((rule, i) => {
    if (rule.id) {
      if (ids.has(rule.id)) throw new AppError('bad_request', `Two rules have the id "${rule.id}"`, { field: `rules.${i}.id` });
      ids.add(rule.id);
      return rule;
    }
    const group = String(rule.pipelineId ?? '*');
    if (!idless.has(group)) {
      idless.add(group);
      return rule;
    }
    return { ...rule, id: randomUUID().slice(0, 8) };
  });
  return { ...settings, rules };
}

function summarize(before: InstallationSettings, after: InstallationSettings): string {
  const keys = (Object.keys(after) as Array<keyof InstallationSettings>).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return keys.length === 0 ? 'Saved without changes' : `Changed ${keys.join(', ')}`;
}

