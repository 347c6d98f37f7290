/**
 * Cached, slow-changing reference data of one installation: Kommo account, users, lead fields
 * and pipelines; Linear teams, states, users, projects and labels. Warm reads cost no request,
 * which keeps a won deal at ≤ 4 Kommo and ≤ 2 Linear calls. Kept in the cache store (memory,
 * then the database), shared by every process.
 */
import type { CacheStore } from './db/cache-store';
import type { KommoClient } from './kommo/client';
import type { KommoCustomField, KommoUser } from './kommo/schemas';
import type { LinearApi } from './linear/client';

const MINUTE = 60_000;
const TTL = { account: 60 * MINUTE, users: 10 * MINUTE, fields: 10 * MINUTE, pipelines: 10 * MINUTE, linear: 10 * MINUTE };

/** Field creations under way, so concurrent first deals of an installation create the field once. */
const fieldCreations = new Map<string, Promise<KommoCustomField | undefined>>();

/**
 * By id, else by name; among several fields of that name the oldest (lowest id) wins, so every
 * process writes into the same field even if a race ever created two.
 */
function matchField(fields: KommoCustomField[], nameOrId: string): KommoCustomField | undefined {
  const byId = fields.find((f) => String(f.id) === nameOrId);
  if (byId) return byId;
  const wanted = nameOrId.trim().toLowerCase();
  return fields.filter((f) => f.name.trim().toLowerCase() === wanted).sort((a, b) => a.id - b.id)[0];
}

export type ReferenceData = ReturnType<typeof createReferenceData>;

/** The lists the settings page shows fresh each time it opens. */
const SETTINGS_PAGE_LISTS = ['linear:', 'kommo:users', 'kommo:lead-fields', 'kommo:pipelines'];

export function createReferenceData(cache: CacheStore, installationId: string, kommo: KommoClient, linear: LinearApi) {
  const get = <T>(key: string, ttl: number, load: () => Promise<T>) => cache.getOrLoad(installationId, key, ttl, load);
  const kommoUsers = () => get('kommo:users', TTL.users, () => kommo.listUsers());
  const leadFields = () => get('kommo:lead-fields', TTL.fields, () => kommo.listLeadFields());

  return {
    account: () => get('kommo:account', TTL.account, () => kommo.getAccount()),
    kommoUsers,
    /** Finds a Kommo user, reloading the list once when the id is unknown (a new hire). */
    async kommoUser(id: number): Promise<KommoUser | undefined> {
      const known = (await kommoUsers()).find((u) => u.id === id);
      if (known) return known;
      await cache.invalidate(installationId, 'kommo:users');
      return (await kommoUsers()).find((u) => u.id === id);
    },
    leadFields,
    /** The lead field with this name or id, created as a text field when `create` and missing. */
    async leadField(nameOrId: string, create: boolean): Promise<KommoCustomField | undefined> {
      const found = matchField(await leadFields(), nameOrId);
      if (found || !create) return found;
      const key = `${installationId}:${nameOrId.toLowerCase()}`;
      let creating = fieldCreations.get(key);
      if (!creating) {
        creating = (async () => {
          await cache.invalidate(installationId, 'kommo:lead-fields');
          const fresh = matchField(await leadFields(), nameOrId);
          if (fresh) return fresh;
          await kommo.createLeadField({ name: nameOrId, type: 'text' });
          await cache.invalidate(installationId, 'kommo:lead-fields');
          return matchField(await leadFields(), nameOrId);
        })().finally(() => fieldCreations.delete(key));
        fieldCreations.set(key, creating);
      }
      return creating;
    },
    pipelines: () => get('kommo:pipelines', TTL.pipelines, () => kommo.listPipelines()),
    teams: () => get('linear:teams', TTL.linear, () => linear.teams()),
    states: (teamId: string) => get(`linear:states:${teamId}`, TTL.linear, () => linear.workflowStates(teamId)),
    linearUsers: () => get('linear:users', TTL.linear, () => linear.users()),
    projects: () => get('linear:projects', TTL.linear, () => linear.projects()),
    labels: () => get('linear:labels', TTL.linear, () => linear.labels()),
    /** Drops the lists the settings page shows, so it shows Linear's and Kommo's current ones. */
    async refreshSettingsLists(): Promise<void> {
      for (const prefix of SETTINGS_PAGE_LISTS) await cache.invalidatePrefix(installationId, prefix);
    },
    /** Drops everything read with the Linear key (after the key changed). */
    forgetLinear: () => cache.invalidatePrefix(installationId, 'linear:'),
  };
}
