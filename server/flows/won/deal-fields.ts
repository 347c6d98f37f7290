/** Reading values out of a Kommo lead or contact: custom fields by name or id, emails, dates. */
import type { KommoContact, KommoCustomField, KommoLead } from './deps';

type CustomFieldValue = KommoLead['custom_fields_values'][number];

/** The first value of the lead field named (or numbered) `nameOrId`, if set. */
export function fieldValue(lead: KommoLead, fields: KommoCustomField[], nameOrId: string): unknown {
  const wanted = nameOrId.trim().toLowerCase();
  const def =
    fields.find((f) => String(f.id) === nameOrId) ??
    fields.filter((f) => f.name.trim().toLowerCase() === wanted).sort((a, b) => a.id - b.id)[0];
  const match = (v: CustomFieldValue) =>
    def ? v.field_id === def.id : (v.field_name ?? '').trim().toLowerCase() === wanted || String(v.field_id) === nameOrId;
  const found = lead.custom_fields_values.find(match);
  const value = found?.values[0]?.value;
  return value === '' ? undefined : value;
}

/** A field value as text: Kommo sends text fields as strings and numeric ones as numbers (or either). */
export function fieldText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The contact's first WORK email, else its first email (Kommo multitext field EMAIL); a contact
 * may have several or none, and empty values are skipped.
 */
export function contactEmail(contact: KommoContact): string | undefined {
  const emails = contact.custom_fields_values
    .filter((f) => f.field_code === 'EMAIL')
    .flatMap((f) => f.values)
    .filter((v) => fieldText(v.value) !== undefined);
  const work = emails.find((v) => v.enum_code === 'WORK') ?? emails[0];
  return work ? fieldText(work.value) : undefined;
}

/** The main contact's id: the one flagged is_main, else the first. */
export function mainContactId(lead: KommoLead): number | undefined {
  const contacts = lead._embedded?.contacts ?? [];
  return (contacts.find((c) => c.is_main) ?? contacts[0])?.id;
}

/**
 * A Kommo date or date-time field value as YYYY-MM-DD in the account's timezone. Kommo sends unix
 * seconds (sometimes as a string); an ISO string is accepted too.
 */
export function toDueDate(value: unknown, timeZone: string | undefined): string | undefined {
  let date: Date | undefined;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) {
    date = new Date(Number(value) * 1000);
  } else if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    date = new Date(value);
  }
  if (!date || Number.isNaN(date.getTime())) return undefined;
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

export function tagNames(lead: KommoLead): string[] {
  return (lead._embedded?.tags ?? []).map((t) => t.name);
}
