import { randomBytes } from 'node:crypto';
import { entityNotFound, inputError } from './errors';
import type { WebhookCreateFields } from './inputs';
import type { FakeLinearStore } from './store';
import type { WebhookRecord } from './types';
import { newId, nowIso } from './util';

export function createWebhook(store: FakeLinearStore, input: WebhookCreateFields): WebhookRecord {
  const team = input.teamId ? store.findTeam(input.teamId) : undefined;
  if (input.teamId && !team) throw entityNotFound('Team');
  if (!team && !input.allPublicTeams) throw inputError('teamId or allPublicTeams is required');
  if (!/^https?:\/\//.test(input.url)) throw inputError('url must be a valid URL');
  const at = nowIso();
  const webhook: WebhookRecord = {
    id: input.id ?? newId(),
    url: input.url,
    label: input.label ?? null,
    secret: input.secret ?? `lin_wh_${randomBytes(24).toString('hex')}`,
    enabled: input.enabled ?? true,
    resourceTypes: [...input.resourceTypes],
    teamId: team?.id ?? null,
    allPublicTeams: team ? false : Boolean(input.allPublicTeams),
    createdAt: at,
    updatedAt: at,
  };
  store.webhooksById.set(webhook.id, webhook);
  return webhook;
}
