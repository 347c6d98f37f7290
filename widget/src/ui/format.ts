/** Dates for the panel, formatted in the user's language with the browser's Intl. */
import type { Language } from '../../../shared/kommo';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** `2026-03-12` (Linear's due date) or a full ISO time → "12 Mar 2026" in the user's language. */
export function formatDate(value: string, language: Language): string {
  const date = new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(DATE_ONLY.test(value) ? { timeZone: 'UTC' } : {}),
  }).format(date);
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "5 minutes ago" / "hace 5 minutos"; times less than a minute old read as "now". */
export function formatRelative(value: string, now: Date, language: Language): string {
  const seconds = Math.round((new Date(value).getTime() - now.getTime()) / 1000);
  if (Number.isNaN(seconds)) return value;
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  if (Math.abs(seconds) < 60) return format.format(0, 'second');
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
  return format.format(Math.round(seconds / size), unit);
}

/** True when the issue is due on a later calendar day than the deal's deadline. */
export function isAfterDeadline(dueDate: string | null, deadline: string | null | undefined): boolean {
  if (!dueDate || !deadline) return false;
  return dueDate.slice(0, 10) > deadline.slice(0, 10);
}
