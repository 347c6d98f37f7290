/**
 * What a deal gets when its issue reaches an outcome (completed, canceled): a Kommo task for the
 * manager and/or a stage move, as the installation configured. Pure: the flow queues the result
 * on the link in the same compare-and-set that records the transition, so each transition (a
 * reopen and a second completion are two) yields its follow-ups once, whatever is replayed.
 */
import type { Language } from '../../shared/kommo';
import { taskText, type Outcome } from './follow-up-texts';
import type { NotedState } from './issue-snapshot';
import type { FollowUpAction, PendingNote } from './link';
import type { InstallationSettings } from './settings';

const CANCELED = new Set(['canceled', 'duplicate']);

function outcomeOf(stateType: string | null): Outcome | undefined {
  if (stateType === 'completed') return 'completed';
  return stateType !== null && CANCELED.has(stateType) ? 'canceled' : undefined;
}

export function followUpsFor(
  before: NotedState,
  now: NotedState,
  title: string,
  language: Language,
  settings: InstallationSettings['followUp'],
): PendingNote[] {
  const outcome = outcomeOf(now.stateType);
  if (!outcome || now.deleted || outcomeOf(before.stateType) === outcome) return [];
  const config = settings[outcome];
  const items: PendingNote[] = [];
  const add = (kind: string, text: string, action: FollowUpAction) => items.push({ key: `${kind}:${outcome}:${now.updatedAt}`, text, action });
  if (config.task) {
    add('task', taskText(language, now.identifier, title, outcome), { kind: 'task', taskTypeId: config.taskTypeId, dueInWorkingHours: config.dueInWorkingHours });
  }
  if (config.moveTo) add('stage', `${now.identifier} ${outcome}`, { kind: 'stage', ...config.moveTo });
  return items;
}

const DAY_START = 9;
const DAY_END = 18;
const HOUR_MS = 3_600_000;

/**
 * `from` plus `hours` working hours (Mon–Fri, 09:00–18:00 local to `timeZone`), counted in whole
 * hours: an hour counts when it starts inside working time. Zero hours is `from` itself.
 */
export function addWorkingHours(from: Date, hours: number, timeZone: string | undefined): Date {
  const format = localClock(timeZone);
  let at = from.getTime();
  let left = hours;
  // Bounded: 200 working hours span under six weeks.
  for (let step = 0; left > 0 && step < 24 * 7 * 8; step++) {
    const { weekday, hour } = format(new Date(at));
    if (weekday >= 1 && weekday <= 5 && hour >= DAY_START && hour < DAY_END) left--;
    at += HOUR_MS;
  }
  return new Date(at);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function localClock(timeZone: string | undefined): (d: Date) => { weekday: number; hour: number } {
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: timeZone ?? 'UTC', weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  } catch {
    // An unknown zone name from the account: UTC rather than no task.
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  }
  return (d) => {
    const parts = formatter.formatToParts(d);
    const weekday = WEEKDAYS.indexOf(parts.find((p) => p.type === 'weekday')?.value ?? '');
    const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
    return { weekday, hour };
  };
}
