import { kommoNoteWebhook, kommoStatusWebhook } from '../../fixtures/kommo-webhook';
import type { KommoStore } from './store';
import type { AccountSettings } from './types';

/** The form body Kommo would send for the lead's latest stage change. */
export function statusWebhookBody(store: KommoStore, account: AccountSettings, leadId: number): string {
  const lead = store.requireLead(leadId);
  return kommoStatusWebhook({
    accountId: account.accountId,
    subdomain: account.subdomain,
    leads: [{ id: lead.id, statusId: lead.statusId, pipelineId: lead.pipelineId, oldStatusId: lead.oldStatusId, oldPipelineId: lead.oldPipelineId }],
  });
}

/** The form body Kommo sends when a note is added to a deal (event `note_lead`). */
export function noteWebhookBody(store: KommoStore, account: AccountSettings, noteId: number): string {
  const note = store.notes.find((n) => n.id === noteId);
  if (!note) throw new Error(`unknown note ${noteId}`);
  const text = typeof note.params.text === 'string' ? note.params.text : '';
  const noteType = note.noteType === 'common' ? 4 : 25;
  return kommoNoteWebhook({
    accountId: account.accountId,
    subdomain: account.subdomain,
    notes: [{ id: note.id, leadId: note.entityId, text, createdBy: note.createdBy, dateCreate: note.createdAt, noteType }],
  });
}

/** POSTs a form-encoded delivery like Kommo does and returns the receiver's HTTP status. */
export async function postWebhook(url: string, body: string, timeoutMs = 5000): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer();
  return res.status;
}
