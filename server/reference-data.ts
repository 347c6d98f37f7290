/**
 * Cached, slow-changing reference data of one installation: Kommo account, users, lead fields
 * and pipelines; Linear teams, states, users, projects, labels and issue templates. Warm reads cost no request,
 * which keeps a won deal at ≤ 4 Kommo and ≤ 2 Linear calls, the first one after a start too:
 * `warm` loads what a won deal reads when an installation is connected and at start, and renews
 * it in the background before it expires. Kept in the cache store (memory, then the database),
 * shared by every process.
 */
import type { CacheStore } from './db/cache-store';
import type { InstallationSettings } from './domain/settings';
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

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The teams the settings can send issues to (by id, key or name), or every team when none is named. */
function teamsInUse<T extends { id: string; key: string; name: string }>(teams: T[], settings: InstallationSettings): T[] {
  const wanted = [settings.team, ...settings.rules.map((r) => r.team)].filter((t): t is string => t !== undefined);
  if (wanted.length === 0) return teams.length === 1 ? teams : [];
  return teams.filter((t) => wanted.some((w) => t.id === w || same(t.key, w) || same(t.name, w)));
}

export function createReferenceData(cache: CacheStore, installationId: string, kommo: KommoClient, linear: LinearApi) {
  const get = <T>(key: string, ttl: number, load: () => Promise<T>) => cache.getOrLoad(installationId, key, ttl, load);
  // Renewed when under half its time to live is left: a reader then never meets an expired entry.
  const renew = <T>(key: string, ttl: number, load: () => Promise<T>) => cache.renew(installationId, key, ttl, ttl / 2, load);
  const loaders = {
    account: ['kommo:account', TTL.account, () => kommo.getAccount()],
    users: ['kommo:users', TTL.users, () => kommo.listUsers()],
    fields: ['kommo:lead-fields', TTL.fields, () => kommo.listLeadFields()],
    pipelines: ['kommo:pipelines', TTL.pipelines, () => kommo.listPipelines()],
    teams: ['linear:teams', TTL.linear, () => linear.teams()],
    linearUsers: ['linear:users', TTL.linear, () => linear.users()],
    projects: ['linear:projects', TTL.linear, () => linear.projects()],
    labels: ['linear:labels', TTL.linear, () => linear.labels()],
    templates: ['linear:templates', TTL.linear, () => linear.templates()],
  } as const;
  const states = (teamId: string) => [`linear:states:${teamId}`, TTL.linear, () => linear.workflowStates(teamId)] as const;
  const kommoUsers = () => get(...loaders.users);
  const leadFields = () => get(...loaders.fields);
  /** The lead field with this name or id, created as a text field when `create` and missing. */
  async function leadField(nameOrId: string, create: boolean): Promise<KommoCustomField | undefined> {
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
  }

  return {
    /**
     * Loads, or renews before it expires, everything a won deal of these settings reads. Once a
     * Linear key is connected, also the Linear lists, and the deal field for the issue is made
     * if missing (else the first deal would make it). Each list is tried on its own: one that
     * fails now is loaded by the deal that needs it.
     */
    async warm(settings: InstallationSettings, withLinear: boolean): Promise<{ failed: number }> {
      const rules = settings.rules;
      const kommoLists = [renew(...loaders.account), renew(...loaders.users), renew(...loaders.fields), renew(...loaders.pipelines)];
      const linearLists = () => [
        (async () => {
          await kommoLists[2];
          await leadField(settings.fields.issue, true);
        })(),
        renew(...loaders.linearUsers),
        (async () => {
          await renew(...loaders.teams);
          const teams = await get(...loaders.teams);
          await Promise.all(teamsInUse(teams, settings).map((team) => renew(...states(team.id))));
        })(),
        ...(rules.some((r) => r.project) ? [renew(...loaders.projects)] : []),
        ...(rules.some((r) => r.labels.length > 0) ? [renew(...loaders.labels)] : []),
        ...(rules.some((r) => r.templateId) ? [renew(...loaders.templates)] : []),
      ];
      const results = await Promise.allSettled([...kommoLists, ...(withLinear ? linearLists() : [])]);
      return { failed: results.filter((r) => r.status === 'rejected').length };
    },
    account: () => get(...loaders.account),
    kommoUsers,
    /** Finds a Kommo user, reloading the list once when the id is unknown (a new hire). */
    async kommoUser(id: number): Promise<KommoUser | undefined> {
      const known = (await kommoUsers()).find((u) => u.id === id);
      if (known) return known;
      await cache.invalidate(installationId, 'kommo:users');
      return (await kommoUsers()).find((u) => u.id === id);
    },
    leadFields,
    leadField,
    pipelines: () => get(...loaders.pipelines),
    teams: () => get(...loaders.teams),
    states: (teamId: string) => get(...states(teamId)),
    linearUsers: () => get(...loaders.linearUsers),
    projects: () => get(...loaders.projects),
    labels: () => get(...loaders.labels),
    /** The issue templates a team can use: its own and the workspace's. */
    templates: async (teamId: string) => (await get(...loaders.templates)).filter((t) => t.teamId === null || t.teamId === teamId),
    /** Drops the lists the settings page shows, so it shows Linear's and Kommo's current ones. */
    async refreshSettingsLists(): Promise<void> {
      for (const prefix of SETTINGS_PAGE_LISTS) await cache.invalidatePrefix(installationId, prefix);
    },
    /** Drops everything read with the Linear key (after the key changed). */
    forgetLinear: () => cache.invalidatePrefix(installationId, 'linear:'),
  };
}
