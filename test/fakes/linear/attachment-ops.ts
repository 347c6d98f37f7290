import { entityNotFound, inputError } from './errors';
import type { AttachmentCreateFields } from './inputs';
import type { FakeLinearStore } from './store';
import type { AttachmentRecord } from './types';
import { UUID_V4, newId, nowIso } from './util';

/** Linear's documented upsert: the same `url` on the same issue updates the existing attachment. */
export function upsertAttachment(store: FakeLinearStore, input: AttachmentCreateFields): AttachmentRecord {
  const issue = store.findIssue(input.issueId);
  if (!issue) throw entityNotFound('Issue');
  if (!input.url.trim()) throw inputError('url must not be empty');
  const at = nowIso();
  const existing = store.attachments().find((a) => a.issueId === issue.id && a.url === input.url);
  if (existing) {
    existing.title = input.title;
    if (input.subtitle !== undefined) existing.subtitle = input.subtitle;
    if (input.iconUrl !== undefined) existing.iconUrl = input.iconUrl;
    if (input.metadata != null) existing.metadata = { ...input.metadata };
    if (input.groupBySource != null) existing.groupBySource = input.groupBySource;
    existing.updatedAt = at;
    return existing;
  }
  if (input.id != null && !UUID_V4.test(input.id)) throw inputError('id must be a UUID v4');
  if (input.id != null && store.attachmentsById.has(input.id)) {
    throw inputError(`Entity Attachment with id ${input.id} already exists.`);
  }
  const attachment: AttachmentRecord = {
    id: input.id ?? newId(),
    issueId: issue.id,
    url: input.url,
    title: input.title,
    subtitle: input.subtitle ?? null,
    iconUrl: input.iconUrl ?? null,
    metadata: { ...(input.metadata ?? {}) },
    groupBySource: input.groupBySource ?? false,
    sourceType: 'api',
    createdAt: at,
    updatedAt: at,
  };
  store.attachmentsById.set(attachment.id, attachment);
  return attachment;
}

export function deleteAttachment(store: FakeLinearStore, id: string): AttachmentRecord {
  const attachment = store.attachmentsById.get(id);
  if (!attachment) throw entityNotFound('Attachment');
  store.attachmentsById.delete(id);
  return attachment;
}
