/** A settings view as the server would answer GET /api/widget/settings (shared/settings-api.ts). */
import type { Preview, SettingsInput, SettingsView } from '../../../shared/settings-api';

export function settingsInput(overrides: Partial<SettingsInput> = {}): SettingsInput {
  return {
    team: 'ENG',
    pipelines: 'all',
    rules: [{ pipelineId: 10, team: 'ENG', state: 'Todo', labels: [] }],
    fields: { spec: 'Spec', deadline: 'Deadline', issue: 'Linear issue' },
    defaultPriority: 2,
    priorityTags: [{ tag: 'vip', priority: 1 }],
    userOverrides: [],
    notes: { created: true, completed: true, canceled: true, reassigned: true, deleted: true, identifierChanged: true },
    ...overrides,
  };
}

export function settingsView(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    isAdmin: true,
    settings: settingsInput(),
    linear: {
      connected: true,
      workspace: 'Acme',
      user: 'Jane Admin',
      problem: null,
      method: 'apiKey',
      oauth: { available: false, status: null },
      teams: [
        { id: 't-eng', key: 'ENG', name: 'Engineering' },
        { id: 't-ops', key: 'OPS', name: 'Operations' },
      ],
      projects: [{ id: 'p-1', name: 'Onboarding' }],
      states: [
        { id: 's-1', teamId: 't-eng', name: 'Backlog', type: 'backlog' },
        { id: 's-2', teamId: 't-eng', name: 'Todo', type: 'unstarted' },
        { id: 's-3', teamId: 't-eng', name: 'In Progress', type: 'started' },
        { id: 's-4', teamId: 't-ops', name: 'Triage', type: 'triage' },
        { id: 's-5', teamId: 't-ops', name: 'Queued', type: 'unstarted' },
      ],
      labels: [
        { id: 'l-1', name: 'Customer' },
        { id: 'l-2', name: 'Enterprise' },
      ],
      users: [
        { id: 'lu-1', name: 'Jane Doe', email: 'jane@acme.test' },
        { id: 'lu-2', name: 'Bob Linear', email: 'bob@linear.test' },
      ],
    },
    kommo: {
      access: null,
      pipelines: [
        { id: 10, name: 'Sales' },
        { id: 11, name: 'Partners' },
      ],
      // No "Linear issue" field yet: the server creates it.
      leadFields: [
        { id: 1, name: 'Spec', type: 'textarea' },
        { id: 2, name: 'Deadline', type: 'date' },
        { id: 3, name: 'Brief', type: 'textarea' },
      ],
      users: [
        { id: 100, name: 'Jane Doe', email: 'jane@acme.test', linearUserId: 'lu-1', matchedBy: 'email' },
        { id: 101, name: 'Bob Sales', email: 'bob@acme.test', linearUserId: null, matchedBy: null },
      ],
    },
    webhooks: {
      kommo: 'registered',
      linear: 'manual',
      kommoUrl: 'https://backend.test/webhooks/kommo/acme',
      linearUrl: 'https://backend.test/webhooks/linear/acme',
    },
    changes: [{ at: '2026-03-01T10:00:00.000Z', userId: 100, summary: 'Default team set to ENG' }],
    setup: { kommoWebhookAt: '2026-03-01T09:00:00.000Z', linearWebhookAt: null, previewedAt: null },
    ...overrides,
  };
}

export function preview(overrides: Partial<Preview> = {}): Preview {
  return {
    title: 'ACME Corp: onboarding',
    description: '## Spec\n\n**Bold** text stays as written',
    team: 'Engineering',
    state: 'Todo',
    project: null,
    assignee: 'Jane Doe',
    priority: 1,
    dueDate: '2026-03-20',
    warnings: [{ code: 'assignee_not_found', message: 'Bob Sales has no Linear user: the issue would be unassigned' }],
    ...overrides,
  };
}
