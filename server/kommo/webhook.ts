/**
 * Kommo account webhooks arrive form-encoded with bracketed keys (`leads[status][0][id]=…`,
 * https://developers.kommo.com/docs/webhooks-general). They carry no signature (only Chat API
 * webhooks are signed), so nothing here is trusted beyond its shape: the job re-reads the lead
 * before acting.
 *
 * A delivery is read event by event: one malformed event is skipped (and reported) without
 * losing the good events next to it, and only the fields the Won flow needs are checked (lead
 * id, status id, pipeline id, account). Kommo does not resend a refused delivery, so refusing a
 * whole delivery for one odd field would lose its good events for good.
 */
import qs from 'qs';
import { AppError } from '../errors';
import { readLeadNotes, type KommoNoteEvent } from './webhook-notes';

/**
 * At most this many distinct leads are read from one delivery. A delivery reports what just
 * happened in one account, a few events; 100 leads is far above that, and far below what would
 * hold the account's quota for minutes: each won deal costs a job and several Kommo calls
 * against its 7 requests/second (https://developers.kommo.com/docs/limitations). A won lead
 * beyond the cap is not lost: the Won poll finds it.
 */
export const MAX_LEADS_PER_DELIVERY = 100;

export type KommoLeadEventKind = 'status' | 'add' | 'update' | 'delete';

export interface KommoLeadEvent {
  kind: KommoLeadEventKind;
  leadId: number;
  statusId: number | undefined;
  pipelineId: number | undefined;
}

export interface KommoWebhookAccount {
  /** Absent in older deliveries, which name the account only by subdomain. */
  id: number | undefined;
  subdomain: string | undefined;
  /** The account's domain (`kommo.com`, `amocrm.ru`, …) from `account[_links][self]`, when sent. */
  domain: string | undefined;
}

export interface SkippedEvent {
  /** Where in the form it was, e.g. `leads[status][2]`. */
  at: string;
  reason: string;
}

export interface KommoDelivery {
  account: KommoWebhookAccount;
  /** Lead events, one per kind and lead, in the order received, for at most MAX_LEADS_PER_DELIVERY leads. */
  events: KommoLeadEvent[];
  /** Events of sections nothing here acts on (contacts, notes, messages, unknown sections). */
  otherEvents: number;
  malformed: SkippedEvent[];
  /** Lead events dropped because the delivery named more than MAX_LEADS_PER_DELIVERY leads. */
  overCap: number;
  /** Lead events repeated within the delivery (same kind, same lead). */
  duplicates: number;
  /** Text notes added to deals (`leads[note]`), for comments both ways; also counted in otherEvents. */
  notes: KommoNoteEvent[];
}

const LEAD_ACTIONS: Record<string, KommoLeadEventKind> = { status: 'status', add: 'add', update: 'update', delete: 'delete' };
/** Events that can mean "won" need the status; the others only the lead id. */
const NEEDS_STATUS = new Set<KommoLeadEventKind>(['status', 'add']);

type Form = Record<string, unknown>;
const isForm = (v: unknown): v is Form => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A positive integer id; `0`, empty and absent all mean "not given" (Kommo sends `old_status_id=0`). */
function optionalId(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === '' || value === '0' || value === 0) return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return 'invalid';
  const n = Number(value.trim());
  return Number.isSafeInteger(n) && n > 0 ? n : 'invalid';
}

/** qs yields an array for small indices and an object for sparse or large ones; both are lists. */
function entriesOf(list: unknown): [index: string, entry: unknown][] | undefined {
  if (Array.isArray(list)) return list.map((e, i) => [String(i), e]);
  if (isForm(list) && Object.keys(list).every((k) => /^\d+$/.test(k))) return Object.entries(list);
  return undefined;
}

function readAccount(form: Form): KommoWebhookAccount {
  const raw = isForm(form.account) ? form.account : {};
  const id = optionalId(raw.id);
  if (id === 'invalid') throw new AppError('bad_request', 'Not a Kommo webhook: account[id] is not a positive integer', { field: 'account[id]' });
  const subdomain = typeof raw.subdomain === 'string' && /^[a-z0-9][a-z0-9_-]{0,127}$/i.test(raw.subdomain.trim()) ? raw.subdomain.trim().toLowerCase() : undefined;
  if (id === undefined && subdomain === undefined) {
    throw new AppError('bad_request', 'Not a Kommo webhook: account[id] or account[subdomain] is missing', { field: 'account' });
  }
  return { id, subdomain, domain: domainOf(raw._links, subdomain) };
}

function domainOf(links: unknown, subdomain: string | undefined): string | undefined {
  if (!isForm(links) || typeof links.self !== 'string' || subdomain === undefined) return undefined;
  let host: string;
  try {
    host = new URL(links.self).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return host.startsWith(`${subdomain}.`) ? host.slice(subdomain.length + 1) : undefined;
}

function readLeadEvent(kind: KommoLeadEventKind, entry: unknown): KommoLeadEvent | string {
  if (!isForm(entry)) return 'is not a set of fields';
  const leadId = optionalId(entry.id);
  if (leadId === undefined || leadId === 'invalid') return '[id] is missing or not a positive integer';
  const statusId = optionalId(entry.status_id);
  if (statusId === 'invalid' || (statusId === undefined && NEEDS_STATUS.has(kind))) return '[status_id] is missing or not a positive integer';
  const pipelineId = optionalId(entry.pipeline_id);
  if (pipelineId === 'invalid') return '[pipeline_id] is not a positive integer';
  return { kind, leadId, statusId, pipelineId };
}

/** How many events (`entity[action][i]`) a section we do not act on holds, for "is there any content". */
function countEntries(section: unknown): number {
  if (!isForm(section)) return 0;
  return Object.values(section).reduce<number>((n, list) => n + (entriesOf(list)?.length ?? 0), 0);
}

export function parseKommoWebhook(body: Buffer): KommoDelivery {
  // A stray non-UTF-8 byte can only sit in a text field (a name, a note), which nothing here reads.
  const form = qs.parse(body.toString('utf8'), { depth: 4, arrayLimit: 500, parameterLimit: 10_000, allowPrototypes: false });
  const account = readAccount(form);
  const { notes, malformed } = readLeadNotes(form);
  const delivery: KommoDelivery = { account, events: [], otherEvents: 0, malformed, overCap: 0, duplicates: 0, notes };
  const seen = new Set<string>();
  const leads = new Set<number>();
  for (const [entity, section] of Object.entries(form)) {
    if (entity === 'account') continue;
    if (entity !== 'leads' || !isForm(section)) {
      delivery.otherEvents += countEntries(section);
      continue;
    }
    for (const [action, list] of Object.entries(section)) {
      const kind = LEAD_ACTIONS[action];
      if (kind === undefined) {
        delivery.otherEvents += entriesOf(list)?.length ?? 0;
        continue;
      }
      const entries = entriesOf(list);
      if (!entries) {
        delivery.malformed.push({ at: `leads[${action}]`, reason: 'is not a list of events' });
        continue;
      }
      for (const [index, entry] of entries) {
        const event = readLeadEvent(kind, entry);
        if (typeof event === 'string') {
          delivery.malformed.push({ at: `leads[${action}][${index}]`, reason: event });
          continue;
        }
        const key = `${kind}:${event.leadId}`;
        if (seen.has(key)) {
          delivery.duplicates++;
          continue;
        }
        if (!leads.has(event.leadId) && leads.size >= MAX_LEADS_PER_DELIVERY) {
          delivery.overCap++;
          continue;
        }
        seen.add(key);
        leads.add(event.leadId);
        delivery.events.push(event);
      }
    }
  }
  if (delivery.events.length === 0 && delivery.otherEvents === 0) {
    const first = delivery.malformed[0];
    throw new AppError('bad_request', `The Kommo webhook holds no usable event${first ? `: ${first.at}${first.reason.startsWith('[') ? '' : ' '}${first.reason}` : ''}`, {
      field: first?.at ?? 'body',
    });
  }
  return delivery;
}
