/** Select options built from the view's lists, keeping saved values the lists do not have. */
import type { SettingsView } from '../../../shared/settings-api';
import type { Option } from './controls';
import { findChoice, type Choice } from './form';
import type { PageKey, PageTranslate } from '../i18n/messages';

type Linear = SettingsView['linear'];

/** Options for `choices`, first `none`; a saved value that matches nothing stays, marked. */
export function choiceOptions(
  choices: Choice[],
  value: string | undefined,
  none: Option | null,
  t: PageTranslate,
  valueOf: (c: Choice) => string = (c) => c.id,
  missingKey: PageKey = 'value_missing',
): Option[] {
  const options = choices.map((c) => ({ value: valueOf(c), label: c.key ? `${c.name} (${c.key})` : c.name }));
  if (value && !findChoice(choices, value)) options.unshift({ value, label: t(missingKey, { value }) });
  return none ? [none, ...options] : options;
}

/** The select's value for a saved value (the matching option's, or the raw value). */
export function selected(choices: Choice[], value: string | undefined, valueOf: (c: Choice) => string = (c) => c.id): string {
  if (!value) return '';
  const choice = findChoice(choices, value);
  return choice ? valueOf(choice) : value;
}

/** Teams are saved by key (readable, what the server documents). */
export const teamKey = (c: Choice) => c.key ?? c.id;
/** States are saved by name: the server resolves a name (or type) within the rule's team. */
export const byName = (c: Choice) => c.name;

/** The Linear team a rule uses: its own, else the default team. */
export function teamOf(linear: Linear, team: string | undefined): Linear['teams'][number] | undefined {
  return findChoice(linear.teams, team);
}

export function statesOf(linear: Linear, teamId: string | undefined): Choice[] {
  return teamId ? linear.states.filter((s) => s.teamId === teamId) : [];
}

/**
 * The connection in one line. `connected` only says a key is saved: when Linear refuses it (or is
 * down) the server sends no workspace and names the problem, and "Connected to the ? workspace"
 * would be wrong.
 */
export function connectionLine(linear: Linear, t: PageTranslate): string {
  if (linear.connected && linear.workspace !== null) return t('connected_as', { workspace: linear.workspace, user: linear.user ?? '?' });
  return linear.connected && linear.problem ? linear.problem : t('not_connected');
}
