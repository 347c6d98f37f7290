/** An in-memory SettingsBackend: scripted answers per method (a queue; the last one repeats), recorded calls. */
import type { LinearOAuthStartResponse } from '../../../shared/linear-oauth-api';
import type { Preview, SettingsInput, SettingsView } from '../../../shared/settings-api';
import { BackendError } from '../../../widget/src/api/backend-error';
import type { LinearKeyResponse, SettingsBackend } from '../../../widget/src/settings/api';
import { settingsView } from './settings-fixtures';

type Answer<T> = T | BackendError | 'hang';
type Method = keyof SettingsBackend;

export class FakeSettingsBackend implements SettingsBackend {
  readonly calls: Array<{ method: Method; args: unknown[] }> = [];
  loads: Array<Answer<SettingsView>>;
  saves: Array<Answer<SettingsView>> = [];
  connects: Array<Answer<LinearKeyResponse>> = [{ workspace: 'Acme', user: 'Jane Admin' }];
  disconnects: Array<Answer<void>> = [undefined];
  previews: Array<Answer<Preview>> = [];
  webhookSecrets: Array<Answer<SettingsView>> = [];
  oauthStarts: Array<Answer<LinearOAuthStartResponse>> = [{ authorizeUrl: 'https://linear.test/oauth/authorize?state=s1', state: 's1', expiresAt: '2026-03-01T10:10:00.000Z' }];
  oauthDisconnects: Array<Answer<void>> = [undefined];
  oauthCompletes: Array<Answer<{ workspace: string }>> = [{ workspace: 'Acme' }];
  origin = 'https://backend.test';

  constructor(...loads: Array<Answer<SettingsView>>) {
    this.loads = loads.length > 0 ? loads : [settingsView()];
  }

  private answer<T>(queue: Array<Answer<T>>, method: Method): Promise<T> {
    const next = queue.length > 1 ? queue.shift() : queue[0];
    if (next === undefined && method !== 'disconnect' && method !== 'disconnectLinearOAuth') return Promise.reject(new BackendError('network', `no ${method} scripted`));
    if (next === 'hang') return new Promise<T>(() => undefined);
    if (next instanceof BackendError) return Promise.reject(next);
    return Promise.resolve(next as T);
  }

  load = () => (this.calls.push({ method: 'load', args: [] }), this.answer(this.loads, 'load'));
  /** Answers from `saves`, or (none scripted) echoes the settings in the last loaded view. */
  save = (settings: SettingsInput) => {
    this.calls.push({ method: 'save', args: [settings] });
    if (this.saves.length > 0) return this.answer(this.saves, 'save');
    const last = this.loads[0];
    const base = last && last !== 'hang' && !(last instanceof BackendError) ? last : settingsView();
    return Promise.resolve({ ...base, settings });
  };
  connect = (apiKey: string) => (this.calls.push({ method: 'connect', args: [apiKey] }), this.answer(this.connects, 'connect'));
  disconnect = () => (this.calls.push({ method: 'disconnect', args: [] }), this.answer<void>(this.disconnects, 'disconnect'));
  saveLinearWebhookSecret = (secret: string) =>
    (this.calls.push({ method: 'saveLinearWebhookSecret', args: [secret] }), this.answer(this.webhookSecrets, 'saveLinearWebhookSecret'));
  preview = (leadId: number, settings?: SettingsInput) =>
    (this.calls.push({ method: 'preview', args: [leadId, settings] }), this.answer(this.previews, 'preview'));

  startLinearOAuth = () => (this.calls.push({ method: 'startLinearOAuth', args: [] }), this.answer(this.oauthStarts, 'startLinearOAuth'));
  completeLinearOAuth = (code: string, state: string) =>
    (this.calls.push({ method: 'completeLinearOAuth', args: [code, state] }), this.answer(this.oauthCompletes, 'completeLinearOAuth'));
  disconnectLinearOAuth = () => (this.calls.push({ method: 'disconnectLinearOAuth', args: [] }), this.answer<void>(this.oauthDisconnects, 'disconnectLinearOAuth'));
  serverOrigin = () => this.origin;

  callsOf(method: Method): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }
}

/** A failed call as the server would answer it (status + ErrorBody). */
export function httpError(status: number, message: string, field?: string, code = 'invalid_input'): BackendError {
  return new BackendError('server', message, status, code, field);
}
