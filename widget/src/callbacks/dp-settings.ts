/**
 * Kommo's `dpSettings` callback: the settings form of a "Create Linear issue" action in the
 * pipeline editor (location `digital_pipeline`, dp-form.ts). A marketplace build's form has a
 * token field (shared/dp-api.ts) the server checks on every event: this fills it with the
 * installation's token and hides it, so the admin never sees or types it (self-hosted builds,
 * whose webhook URL carries the secret, have no such field). In every build the team, project and
 * state fields become pickers of the workspace's (dp-choices.ts).
 */
import { DP_TOKEN_API, DP_TOKEN_SETTING, DpTokenResponseSchema } from '../../../shared/dp-api';
import { BackendError } from '../api/backend-error';
import { createCall, type Call } from '../api/call';
import { createTranslator } from '../i18n/messages';
import { offerChoices } from './dp-choices';
import { FIELD_WRAPPER, fieldsNamed, hideField, waitForField, writeField } from './dp-form';
import type { WidgetScope } from './scope';

const ERROR_CLASS = 'lfk-dp-token-error';

export function dpSettings(scope: WidgetScope): boolean {
  void setUp(scope);
  return true;
}

async function setUp(scope: WidgetScope): Promise<void> {
  const started = scope.generation();
  // Every build's action has a team field: once it is drawn, the whole form is.
  if (!(await waitForField(scope, started, 'team'))) return;
  const call = createCall(scope.host.authorizedRequest, () => scope.host.serverUrl());
  await Promise.all([fillToken(scope, call, started), offerChoices(scope, call, started)]);
}

function showProblem(scope: WidgetScope, field: HTMLInputElement, reason: string): void {
  const anchor = field.closest(FIELD_WRAPPER) ?? field;
  if (anchor.parentElement?.querySelector(`.${ERROR_CLASS}`)) return;
  const note = scope.doc.createElement('div');
  note.className = ERROR_CLASS;
  note.setAttribute('role', 'alert');
  note.textContent = createTranslator(scope.host.strings('panel'))('dp_token_failed', { reason });
  anchor.after(note);
}

async function fillToken(scope: WidgetScope, call: Call, started: number): Promise<void> {
  const fields = fieldsNamed(scope.doc, DP_TOKEN_SETTING);
  fields.forEach(hideField);
  if (fields.length === 0) return;
  try {
    const { token } = await call('GET', DP_TOKEN_API, DpTokenResponseSchema);
    if (started === scope.generation()) fields.forEach((field) => writeField(field, token));
  } catch (error) {
    const reason = error instanceof BackendError ? error.message : String(error);
    console.warn('[linear-for-kommo] no Digital Pipeline token', reason);
    // An action saved earlier keeps the token it has; only an empty one needs the admin's attention.
    const empty = fields.find((field) => field.value.trim() === '');
    if (empty && started === scope.generation()) showProblem(scope, empty, reason);
  }
}
