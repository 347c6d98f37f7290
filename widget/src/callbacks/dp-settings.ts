/**
 * Kommo's `dpSettings` callback: the settings form of a "Create Linear issue" action in the
 * pipeline editor (location `digital_pipeline`). A marketplace build's form has a token field
 * (shared/dp-api.ts) the server checks on every event: this fills it with the installation's
 * token and hides it, so the admin never sees or types it. Kommo draws the form around the
 * callback, so the field is looked for a few times; a form without one (self-hosted builds,
 * whose webhook URL carries the secret) is left as it is.
 */
import { DP_TOKEN_API, DP_TOKEN_SETTING, DpTokenResponseSchema } from '../../../shared/dp-api';
import { BackendError } from '../api/backend-error';
import { createCall } from '../api/call';
import { createTranslator } from '../i18n/messages';
import type { WidgetScope } from './scope';

const FIELD = `input[name="${DP_TOKEN_SETTING}"], input[name$="[${DP_TOKEN_SETTING}]"]`;
/** Kommo's wrapper of one settings field, label included. */
const FIELD_WRAPPER = '.widget_settings_block__item_field, .form-group';
const ERROR_CLASS = 'lfk-dp-token-error';
const TRIES = 20;
const EVERY_MS = 150;

export function dpSettings(scope: WidgetScope): boolean {
  void fillToken(scope);
  return true;
}

function findFields(scope: WidgetScope, started: number): Promise<HTMLInputElement[]> {
  return new Promise((resolve) => {
    const look = (left: number) => {
      if (started !== scope.generation()) return resolve([]);
      const found = [...scope.doc.querySelectorAll<HTMLInputElement>(FIELD)];
      if (found.length > 0 || left <= 0) return resolve(found);
      setTimeout(() => look(left - 1), EVERY_MS);
    };
    look(TRIES);
  });
}

function hide(field: HTMLInputElement): void {
  const wrapper = field.closest<HTMLElement>(FIELD_WRAPPER);
  if (wrapper) wrapper.style.display = 'none';
  else field.type = 'hidden';
}

/** Sets the value as typing would: Kommo's form (jQuery handlers) sees the change and saves it. */
function write(field: HTMLInputElement, value: string): void {
  const EventType = field.ownerDocument.defaultView?.Event ?? Event;
  field.value = value;
  field.dispatchEvent(new EventType('input', { bubbles: true }));
  field.dispatchEvent(new EventType('change', { bubbles: true }));
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

async function fillToken(scope: WidgetScope): Promise<void> {
  const started = scope.generation();
  const fields = await findFields(scope, started);
  fields.forEach(hide);
  if (fields.length === 0) return;
  const call = createCall(scope.host.authorizedRequest, () => scope.host.serverUrl());
  try {
    const { token } = await call('GET', DP_TOKEN_API, DpTokenResponseSchema);
    if (started === scope.generation()) fields.forEach((field) => write(field, token));
  } catch (error) {
    const reason = error instanceof BackendError ? error.message : String(error);
    console.warn('[linear-for-kommo] no Digital Pipeline token', reason);
    // An action saved earlier keeps the token it has; only an empty one needs the admin's attention.
    const empty = fields.find((field) => field.value.trim() === '');
    if (empty && started === scope.generation()) showProblem(scope, empty, reason);
  }
}
