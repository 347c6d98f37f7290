/**
 * What the settings page shows: the settings, what Linear and Kommo offer to choose from (from
 * the cached reference data), how each Kommo user maps to Linear, webhook status and recent changes.
 * No secret is ever part of it.
 */
import type { SettingsView } from '../../../shared/settings-api';
import { kommoAccessView } from '../../domain/kommo-access';
import type { InstallationSettings } from '../../domain/settings';
import { toAppError } from '../../errors';
import { resolveAssignee } from '../won/issue-target';
import type { SettingsViewDeps } from './deps';

type LinearPart = SettingsView['linear'];

export async function buildSettingsView(deps: SettingsViewDeps, settings: InstallationSettings, isAdmin: boolean): Promise<SettingsView> {
  const { installation, referenceData } = deps;
  await deps.refreshLists();
  const [linear, pipelines, leadFields, kommoUsers, changes, marks] = await Promise.all([
    linearPart(deps),
    referenceData.pipelines().catch(() => []),
    referenceData.leadFields().catch(() => []),
    referenceData.kommoUsers().catch(() => []),
    deps.recentChanges(),
    deps.setupMarks(),
  ]);
  const linearUsers = linear.users.map((u) => ({ ...u, active: true }));
  return {
    isAdmin,
    settings: toInput(settings),
    linear,
    kommo: {
      access: kommoAccessView(installation.kommoAccess),
      pipelines: pipelines.map((p) => ({ id: p.id, name: p.name, stages: (p._embedded?.statuses ?? []).map((st) => ({ id: st.id, name: st.name })) })),
      leadFields: leadFields.map((f) => ({ id: f.id, name: f.name, type: f.type })),
      users: kommoUsers.map((u) => {
        const override = settings.userOverrides.some((o) => o.kommo === u.id || (typeof o.kommo === 'string' && u.email != null && o.kommo.toLowerCase() === u.email.toLowerCase()));
        const choice = resolveAssignee(u, linearUsers, settings);
        return {
          id: u.id,
          name: u.name,
          email: u.email ?? null,
          linearUserId: choice.assigneeId ?? null,
          matchedBy: choice.assigneeId ? (override ? ('override' as const) : ('email' as const)) : null,
        };
      }),
    },
    webhooks: {
      kommo: toKommoStatus(installation.kommoWebhookStatus),
      linear: installation.linearOAuth ? 'app' : !installation.linearWebhookConfigured ? 'manual' : installation.linearWebhookId ? 'registered' : 'configured',
      kommoUrl: `${deps.publicUrl}/webhooks/kommo/<your webhook secret>`,
      linearUrl: installation.mode === 'single' ? `${deps.publicUrl}/webhooks/linear` : `${deps.publicUrl}/webhooks/linear/${installation.id}`,
    },
    changes: changes.map((c) => ({ at: c.at.toISOString(), userId: c.userId, summary: c.summary })),
    setup: { kommoWebhookAt: iso(marks.kommoWebhookAt), linearWebhookAt: iso(marks.linearWebhookAt), previewedAt: iso(marks.previewedAt) },
  };
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** How Linear is connected, and what the page offers for it. */
function connection(deps: SettingsViewDeps): Pick<LinearPart, 'method' | 'oauth'> {
  const { linearOAuth, linearConnected } = deps.installation;
  return {
    method: linearOAuth ? 'oauth' : linearConnected ? 'apiKey' : null,
    oauth: { available: deps.linearOAuthAvailable, status: linearOAuth?.status ?? null },
  };
}

async function linearPart(deps: SettingsViewDeps): Promise<LinearPart> {
  const empty = { teams: [], projects: [], states: [], labels: [], users: [], ...connection(deps) };
  if (!deps.installation.linearConnected) {
    const problem = deps.linearOAuthAvailable ? 'Click "Connect Linear" to connect your workspace' : 'Paste a Linear API key to connect your workspace';
    return { connected: false, workspace: null, user: null, problem, ...empty };
  }
  try {
    const [viewer, teams, projects, labels, users, customers] = await Promise.all([
      deps.linear.viewer(),
      deps.referenceData.teams(),
      deps.referenceData.projects(),
      deps.referenceData.labels(),
      deps.referenceData.linearUsers(),
      customersAvailability(deps),
    ]);
    const states = (await Promise.all(teams.map(async (t) => (await deps.referenceData.states(t.id)).map((s) => ({ id: s.id, teamId: t.id, name: s.name, type: s.type }))))).flat();
    const templates = await teamTemplates(deps, teams);
    return {
      connected: true,
      workspace: viewer.organization.name,
      user: viewer.viewer.name,
      problem: null,
      teams: teams.map((t) => ({ id: t.id, key: t.key, name: t.name })),
      projects: projects.map((p) => ({ id: p.id, name: p.name })),
      states,
      labels: labels.map((l) => ({ id: l.id, name: l.name })),
      users: users.filter((u) => u.active !== false).map((u) => ({ id: u.id, name: u.name, email: u.email ?? null })),
      ...connection(deps),
      templates,
      customers,
    };
  } catch (error) {
    return { connected: true, workspace: null, user: null, problem: toAppError(error).message, ...empty };
  }
}

/** Every team's issue templates, each once; none when the key may not read them (the rest of the page still works). */
async function teamTemplates(deps: SettingsViewDeps, teams: Array<{ id: string }>): Promise<NonNullable<LinearPart['templates']>> {
  try {
    const lists = await Promise.all(teams.map((t) => deps.referenceData.templates(t.id)));
    const byId = new Map(lists.flat().map((t) => [t.id, { id: t.id, name: t.name, teamId: t.teamId }]));
    return [...byId.values()];
  } catch {
    return [];
  }
}

/** The Customers option is offered only where the workspace's plan has the feature. */
async function customersAvailability(deps: SettingsViewDeps): Promise<NonNullable<LinearPart['customers']>> {
  try {
    if (await deps.linear.customersEnabled()) return { available: true, reason: null };
    return { available: false, reason: "This Linear workspace's plan does not include Customers; an admin enables it in Linear (Settings → Customers) or upgrades the plan" };
  } catch (error) {
    return { available: false, reason: `Could not ask Linear whether Customers is available: ${toAppError(error).message}` };
  }
}

function toKommoStatus(status: string | null): SettingsView['webhooks']['kommo'] {
  return status === 'registered' || status === 'unavailable' || status === 'manual' ? status : 'unknown';
}

/** Settings as the page edits them (the shared contract), with no undefined-vs-absent surprises. */
export function toInput(settings: InstallationSettings): SettingsView['settings'] {
  return {
    ...(settings.team ? { team: settings.team } : {}),
    pipelines: settings.pipelines,
    rules: settings.rules.map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      ...(r.name ? { name: r.name } : {}),
      ...(r.pipelineId !== undefined ? { pipelineId: r.pipelineId } : {}),
      ...(r.statusId !== undefined ? { statusId: r.statusId } : {}),
      ...(r.team ? { team: r.team } : {}),
      ...(r.project ? { project: r.project } : {}),
      ...(r.state ? { state: r.state } : {}),
      labels: r.labels,
      ...(r.templateId ? { templateId: r.templateId } : {}),
    })),
    fields: settings.fields,
    defaultPriority: settings.defaultPriority,
    priorityTags: settings.priorityTags,
    userOverrides: settings.userOverrides,
    notes: settings.notes,
    followUp: settings.followUp,
    comments: settings.comments,
    customers: { enabled: settings.customers.enabled, ...(settings.customers.tierRule ? { tierRule: settings.customers.tierRule } : {}) },
    ...(settings.language ? { language: settings.language } : {}),
  };
}
