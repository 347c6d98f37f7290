/**
 * Cached, slow-changing reference data of one installation: Kommo account, users, lead fields
 * and pipelines; Linear teams, states, users, projects and labels. Warm reads cost no request,
 * which keeps a won deal at ≤ 4 Kommo and ≤ 2 Linear calls.
 */
import type { KommoClient } from '../kommo/client';
import type { KommoAccount, KommoCustomField, KommoPipeline, KommoUser } from '../kommo/schemas';
import type { LinearApi } from '../linear/client';
import type { LinearState, LinearTeam, LinearUser } from '../linear/schemas';

export interface Cache {
  getOrLoad<T>(installationId: string, key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  invalidate(installationId: string, key: string): Promise<void>;
  invalidatePrefix(installationId: string, prefix: string): Promise<void>;
}

const MINUTE = 60_000;
const TTL = { account: 60 * MINUTE, users: 10 * MINUTE, fields: 10 * MINUTE, pipelines: 10 * MINUTE, linear: 10 * MINUTE };

export interface Directory {
  account(): Promise<KommoAccount>;
  kommoUsers(): Promise<KommoUser[]>;
  /** Finds a Kommo user, reloading the list once when the id is unknown (a new hire). */
  kommoUser(id: number): Promise<KommoUser | undefined>;
  leadFields(): Promise<KommoCustomField[]>;
  /** The lead field with this name or id, created as a text field when `create` and missing. */
  leadField(nameOrId: string, create: boolean): Promise<KommoCustomField | undefined>;
  pipelines(): Promise<KommoPipeline[]>;
  teams(): Promise<LinearTeam[]>;
  states(teamId: string): Promise<LinearState[]>;
  linearUsers(): Promise<LinearUser[]>;
  projects(): Promise<Array<{ id: string; name: string }>>;
  labels(): Promise<Array<{ id: string; name: string; teamId: string | null }>>;
}

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

export function createDirectory(cache: Cache, installationId: string, kommo: KommoClient, linear: LinearApi): Directory {
  const get = <T>(key: string, ttl: number, load: () => Promise<T>) => cache.getOrLoad(installationId, key, ttl, load);

  const directory: Directory = {
    account: () => get('kommo:account', TTL.account, () => kommo.getAccount()),
    kommoUsers: () => get('kommo:users', TTL.users, () => kommo.listUsers()),
    async kommoUser(id) {
      const known = (await directory.kommoUsers()).find((u) => u.id === id);
      if (known) return known;
      await cache.invalidate(installationId, 'kommo:users');
      return (await directory.kommoUsers()).find((u) => u.id === id);
    },
    leadFields: () => get('kommo:lead-fields', TTL.fields, () => kommo.listLeadFields()),
    async leadField(nameOrId, create) {
      const found = matchField(await directory.leadFields(), nameOrId);
      if (found || !create) return found;
      const key = `${installationId}:${nameOrId.toLowerCase()}`;
      let creating = fieldCreations.get(key);
      if (!creating) {
        creating = (async () => {
          await cache.invalidate(installationId, 'kommo:lead-fields');
          const fresh = matchField(await directory.leadFields(), nameOrId);
          if (fresh) return fresh;
          await kommo.createLeadField({ name: nameOrId, type: 'text' });
          await cache.invalidate(installationId, 'kommo:lead-fields');
          return matchField(await directory.leadFields(), nameOrId);
        })().finally(() => fieldCreations.delete(key));
        fieldCreations.set(key, creating);
      }
      return creating;
    },
    pipelines: () => get('kommo:pipelines', TTL.pipelines, () => kommo.listPipelines()),
    teams: () => get('linear:teams', TTL.linear, () => linear.teams()),
    states: (teamId) => get(`linear:states:${teamId}`, TTL.linear, () => linear.workflowStates(teamId)),
    linearUsers: () => get('linear:users', TTL.linear, () => linear.users()),
    projects: () => get('linear:projects', TTL.linear, () => linear.projects()),
    labels: () => get('linear:labels', TTL.linear, () => linear.labels()),
  };
  return directory;
}
