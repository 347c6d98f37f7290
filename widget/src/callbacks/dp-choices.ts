/**
 * The action's team, project and state fields as pickers of the workspace's teams (by key),
 * projects and states (by name), from the settings API's lists. The picker writes the same text
 * the server already reads into Kommo's own field (kept, hidden), so an action saved earlier keeps
 * working and a value the lists lack (renamed since) stays selectable. Without the lists (not an
 * admin, Linear not connected or down) the text fields stay as they are.
 */
import * as z from 'zod/mini';
import type { Call } from '../api/call';
import { fieldsNamed, writeField } from './dp-form';
import type { WidgetScope } from './scope';

const ListsSchema = z.object({
  linear: z.object({
    teams: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })),
    projects: z.array(z.object({ id: z.string(), name: z.string() })),
    states: z.array(z.object({ teamId: z.string(), name: z.string() })),
  }),
});
type Lists = z.infer<typeof ListsSchema>['linear'];
type Choice = { value: string; label: string };

const PICKER_CLASS = 'lfk-dp-choice';

function unique(choices: Choice[]): Choice[] {
  const seen = new Set<string>();
  return choices.filter((c) => !seen.has(c.value.toLowerCase()) && seen.add(c.value.toLowerCase()));
}

/** The team's states when the team field names one (key or name, as the server matches), else every team's. */
function stateChoices(lists: Lists, team: string): Choice[] {
  const wanted = team.trim().toLowerCase();
  const match = lists.teams.find((t) => t.key.toLowerCase() === wanted || t.name.toLowerCase() === wanted);
  return unique(lists.states.filter((s) => !match || s.teamId === match.id).map((s) => ({ value: s.name, label: s.name })));
}

function fillOptions(select: HTMLSelectElement, choices: Choice[], current: string): void {
  const all = current && !choices.some((c) => c.value === current) ? [...choices, { value: current, label: current }] : choices;
  select.replaceChildren(
    ...[{ value: '', label: '—' }, ...all].map((choice) => {
      const option = select.ownerDocument.createElement('option');
      option.value = choice.value;
      option.textContent = choice.label;
      return option;
    }),
  );
  select.value = current;
}

/** A picker in place of Kommo's text input (which stays, hidden, as what the form saves). */
function pickerFor(field: HTMLInputElement, choices: Choice[], onPick?: (value: string) => void): HTMLSelectElement {
  const next = field.nextElementSibling;
  const select = next instanceof HTMLSelectElement && next.classList.contains(PICKER_CLASS) ? next : field.ownerDocument.createElement('select');
  // No name: Kommo's form saves its own input only.
  select.className = PICKER_CLASS;
  fillOptions(select, choices, field.value.trim());
  select.onchange = () => {
    writeField(field, select.value);
    onPick?.(select.value);
  };
  field.style.display = 'none';
  if (select !== next) field.after(select);
  return select;
}

export async function offerChoices(scope: WidgetScope, call: Call, started: number): Promise<void> {
  const [team, project, state] = ['team', 'project', 'state'].map((key) => fieldsNamed(scope.doc, key)[0]);
  if (!team) return;
  let lists: Lists;
  try {
    lists = (await call('GET', '/settings', ListsSchema)).linear;
  } catch (error) {
    console.warn('[linear-for-kommo] the action keeps its text fields: no Linear lists', error);
    return;
  }
  if (started !== scope.generation() || lists.teams.length === 0) return;
  const states = state ? pickerFor(state, stateChoices(lists, team.value)) : undefined;
  pickerFor(
    team,
    lists.teams.map((t) => ({ value: t.key, label: `${t.name} (${t.key})` })),
    (picked) => state && states && fillOptions(states, stateChoices(lists, picked), state.value.trim()),
  );
  if (project) pickerFor(project, unique(lists.projects.map((p) => ({ value: p.name, label: p.name }))));
}
