/**
 * Note events of a Kommo account webhook (event `note_lead`): `leads[note][i][note][id]`,
 * `[element_id]` (the deal), `[element_type]` (2 = deal), `[note_type]` (4 = a common text note),
 * `[text]`, `[created_by]`, as public integrations read them (amoCRM, the same platform, documents
 * the envelope at https://www.amocrm.ru/developers/content/crm_platform/webhooks-format; the note
 * fields are not documented, some deliveries nest them once, without the inner `[note]`). Nothing
 * here is trusted: the job re-reads the note from Kommo before it acts.
 */
/** As webhook.ts's SkippedNote (declared here too: webhook.ts imports this file). */
interface SkippedNote {
  at: string;
  reason: string;
}

export interface KommoNoteEvent {
  noteId: number;
  leadId: number;
  /** The text as delivered; the job acts on the text Kommo returns for the note. */
  text: string;
  createdBy: number | undefined;
}

type Form = Record<string, unknown>;
const isForm = (v: unknown): v is Form => typeof v === 'object' && v !== null && !Array.isArray(v);

function id(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function entries(list: unknown): [string, unknown][] {
  if (Array.isArray(list)) return list.map((e, i) => [String(i), e]);
  return isForm(list) ? Object.entries(list).filter(([k]) => /^\d+$/.test(k)) : [];
}

/** The text notes on deals of a parsed form, and those that could not be read. */
export function readLeadNotes(form: Form): { notes: KommoNoteEvent[]; malformed: SkippedNote[] } {
  const leads = isForm(form.leads) ? form.leads : undefined;
  const notes: KommoNoteEvent[] = [];
  const malformed: SkippedNote[] = [];
  for (const [index, entry] of entries(leads?.note)) {
    const note = isForm(entry) && isForm(entry.note) ? entry.note : entry;
    if (!isForm(note)) continue;
    // Only text notes on deals: calls, service messages and the like are not comments.
    if (note.element_type !== undefined && note.element_type !== '2') continue;
    if (note.note_type !== undefined && note.note_type !== '4' && note.note_type !== 'common') continue;
    const noteId = id(note.id);
    const leadId = id(note.element_id);
    if (noteId === undefined || leadId === undefined) {
      malformed.push({ at: `leads[note][${index}]`, reason: noteId === undefined ? '[note][id] is missing or not a positive integer' : '[note][element_id] is missing or not a positive integer' });
      continue;
    }
    notes.push({ noteId, leadId, text: typeof note.text === 'string' ? note.text : '', createdBy: id(note.created_by) });
  }
  return { notes, malformed };
}
