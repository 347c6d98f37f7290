/**
 * The one owner of installations in memory. Reads that sit on hot paths (the webhook intakes, the
 * widget's token check) are kept for a few seconds, so they cost no database round trip. Which
 * webhook secrets, installation ids and accounts exist at all is kept as an index (one small
 * query per time to live), so a wrong secret, id or account costs no database work however many
 * arrive, and cannot push a real installation out of the cache.
 * Every write goes through here and clears the cache at once, so nobody wires invalidation;
 * other processes catch up within the time to live. Credentials stay inside: only the clients,
 * the token provider and the webhook verifiers ask for them (`credentials`).
 */
import { LRUCache } from 'lru-cache';
import { hashSecret } from '../crypto/secret-box';
import type { Installation } from '../domain/installation';
import type { KommoAccessProblem } from '../domain/kommo-access';
import type { InstallationSettings } from '../domain/settings';
import { originOf } from '../origin';
import type { Db } from './create-db';
import type { InstallationCredentials, InstallationKey, InstallationRecord, InstallationsRepo, KnownKeys, OAuthInstall, UpsertSingleInstallation } from './repos/installations';
import type { LinearOAuthRepo } from './repos/linear-oauth';
import { settingsChangesRepo } from './repos/settings-changes';

/** LinearOAuthRepo's operations with the database bound (db/repos/linear-oauth.ts). */
export type LinearOAuthWrites = {
  [K in keyof LinearOAuthRepo]: LinearOAuthRepo[K] extends (db: never, ...args: infer A) => infer R ? (...args: A) => R : never;
};

export interface InstallationStore {
  /** The installation of a Kommo webhook URL secret (the intake's lookup). */
  bySecret(secret: string): Promise<Installation | undefined>;
  /**
   * The installation of a Linear webhook URL (`undefined`: the single-account one). Kept only
   * while it has a signing secret, so a secret set a moment ago is seen at once; `fresh` reads
   * the database, for a signature that does not match a cached secret.
   */
  forLinear(id: string | undefined, options?: { fresh?: boolean }): Promise<Installation | undefined>;
  /**
   * The active installation of a Kommo account; `issuer` (a widget token's `iss` origin) finds a
   * single-account installation whose account id is not learned yet.
   */
  forAccount(accountId: number, issuer: string | undefined, options?: { includeDisabled?: boolean }): Promise<Installation | undefined>;
  /** The active installation of a Kommo subdomain (lower case), for events that name no account id. */
  forSubdomain(subdomain: string): Promise<Installation | undefined>;
  /** Whether a request from this origin belongs to an installation, active or disabled (CORS preflight). */
  knowsOrigin(origin: string): Promise<boolean>;
  /** Read from the database (jobs act on what is stored now), refreshing the cache. */
  load(id: string): Promise<Installation | undefined>;
  findSingle(): Promise<Installation | undefined>;
  listActive(): Promise<Installation[]>;
  /** For the clients, the token provider and the webhook verifiers only. */
  credentials(id: string, options?: { fresh?: boolean }): Promise<InstallationCredentials | undefined>;

  upsertSingle(input: UpsertSingleInstallation): Promise<Installation>;
  upsertOAuth(input: OAuthInstall): Promise<Installation>;
  setAccount(id: string, accountId: number, subdomain: string): Promise<void>;
  setLinearViewer(id: string, viewerId: string): Promise<void>;
  setReconciledAt(id: string, at: Date): Promise<void>;
  setWonPollCursor(id: string, cursor: number): Promise<void>;
  setKommoWebhookStatus(id: string, status: 'registered' | 'unavailable' | 'manual'): Promise<void>;
  setLinearWebhook(id: string, webhookId: string | null, secret: string): Promise<void>;
  setLinearApiKey(id: string, apiKey: string | null, viewerId: string | null): Promise<void>;
  /** Saves new settings and records the change in the history, in one transaction. */
  saveSettings(id: string, settings: InstallationSettings, change: { userId: number | null; summary: string; before: unknown }): Promise<void>;
  setTokens(id: string, tokens: { accessToken: string; refreshToken: string; expiresAt: Date }): Promise<void>;
  takeRefreshLease(id: string, owner: string, seconds: number): Promise<boolean>;
  releaseRefreshLease(id: string, owner: string): Promise<void>;
  /** Kommo refuses the account (402/403/401 after a refresh): jobs wait until `clearKommoAccess`. */
  setKommoAccess(id: string, problem: KommoAccessProblem, message: string): Promise<void>;
  /** Kommo answers again; true when a refusal was recorded until now. */
  clearKommoAccess(id: string): Promise<boolean>;
  /** Disables the account's installation (Kommo revoked access); undefined when there is none. */
  disableAccount(accountId: number): Promise<Installation | undefined>;
  /** The Linear OAuth grant; writes clear the cache like every other write. */
  linearOAuth: LinearOAuthWrites;
}

interface Entry {
  value: InstallationRecord | undefined;
}

/** Only keys the index knows get here, so this bounds real installations, not callers' guesses. */
const MAX_ENTRIES = 10_000;

export function createInstallationStore(db: Db, repo: InstallationsRepo, ttlMs = 5000): InstallationStore {
  // Least recently used out first: a full cache never drops the installations in use.
  const entries = new LRUCache<string, Entry>({ max: MAX_ENTRIES, ttl: ttlMs });
  let active: { value: Promise<Installation[]>; expiresAt: number } | undefined;
  let index: { value: Promise<KnownKeys>; expiresAt: number } | undefined;
  const invalidate = () => {
    entries.clear();
    active = undefined;
    index = undefined;
  };
  /** Everything that can be found; concurrent callers share one query per time to live. */
  const known = () => {
    if (!index || index.expiresAt <= Date.now()) {
      const value = repo.knownKeys(db);
      index = { value, expiresAt: Date.now() + ttlMs };
      value.catch(() => (index = undefined));
    }
    return index.value;
  };
  const remember = (key: string, value: InstallationRecord | undefined) => {
    entries.set(key, { value });
    // Whatever found it, the record is also what `credentials` and `load` of its id would read.
    if (value) entries.set(`id:${value.installation.id}`, { value });
  };
  const cached = async (key: string, find: InstallationKey, keep: (value: InstallationRecord | undefined) => boolean, fresh = false) => {
    const hit = entries.get(key);
    if (!fresh && hit) return hit.value;
    const value = await repo.findRecord(db, find);
    if (keep(value)) remember(key, value);
    else entries.delete(key);
    return value;
  };
  const activeList = () => {
    if (!active || active.expiresAt <= Date.now()) {
      const value = repo.listActive(db);
      active = { value, expiresAt: Date.now() + ttlMs };
      value.catch(() => (active = undefined));
    }
    return active.value;
  };
  /** A write, then the cache is cleared: the next read sees it. */
  const write =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await run(...args);
      } finally {
        invalidate();
      }
    };

  return {
    // An installation whose account is not learned yet is re-read, so the account check starts at once.
    async bySecret(secret) {
      const hash = hashSecret(secret);
      if (!(await known()).secretHashes.has(hash)) return undefined;
      return (await cached(`kommo:${hash}`, { webhookSecret: secret }, (v) => v?.installation.kommoAccountId !== null))?.installation;
    },
    async forLinear(id, options = {}) {
      if (id !== undefined && !(await known()).ids.has(id)) return undefined;
      const key = `linear:${id ?? 'single'}`;
      const record = await cached(key, id ? { id } : { single: true }, (v) => Boolean(v?.credentials.linearWebhookSecret), options.fresh);
      return record?.installation;
    },
    async forAccount(accountId, issuer, options = {}) {
      const record = (await known()).accountIds.has(accountId) ? await cached(`account:${accountId}`, { accountId }, () => true) : undefined;
      const found = record && (record.installation.status === 'active' || options.includeDisabled) ? record.installation : undefined;
      if (found || !issuer) return found;
      const pending = (await activeList()).filter((i) => i.mode === 'single' && i.kommoAccountId === null);
      return pending.find((i) => originOf(i.kommoBaseUrl) === issuer);
    },
    forSubdomain: async (subdomain) => (await activeList()).find((i) => i.kommoSubdomain?.toLowerCase() === subdomain),
    // Disabled ones too: their settings page must be able to say so.
    knowsOrigin: async (origin) => [...(await known()).baseUrls].some((url) => originOf(url) === origin),
    load: async (id) => (await cached(`id:${id}`, { id }, () => true, true))?.installation,
    findSingle: () => repo.findSingle(db),
    listActive: () => repo.listActive(db),
    credentials: async (id, options = {}) => (await cached(`id:${id}`, { id }, () => true, options.fresh))?.credentials,

    upsertSingle: write((input) => repo.upsertSingle(db, input)),
    upsertOAuth: write((input) => repo.upsertOAuth(db, input)),
    setAccount: write((id, accountId, subdomain) => repo.setAccount(db, id, accountId, subdomain)),
    setLinearViewer: write((id, viewerId) => repo.setLinearViewer(db, id, viewerId)),
    setReconciledAt: write((id, at) => repo.setReconciledAt(db, id, at)),
    setWonPollCursor: write((id, cursor) => repo.setWonPollCursor(db, id, cursor)),
    setKommoWebhookStatus: write((id, status) => repo.setKommoWebhookStatus(db, id, status)),
    setLinearWebhook: write((id, webhookId, secret) => repo.setLinearWebhook(db, id, webhookId, secret)),
    setLinearApiKey: write((id, apiKey, viewerId) => repo.setLinearApiKey(db, id, apiKey, viewerId)),
    saveSettings: write(async (id, settings, change) => {
      await db.transaction(async (trx) => {
        await repo.updateSettings(trx, id, settings);
        await settingsChangesRepo.add(trx, id, { ...change, after: settings });
      });
    }),
    setTokens: write((id, tokens) => repo.setTokens(db, id, tokens)),
    setKommoAccess: write((id, problem, message) => repo.setKommoAccess(db, id, problem, message)),
    clearKommoAccess: write((id) => repo.clearKommoAccess(db, id)),
    takeRefreshLease: (id, owner, seconds) => repo.takeRefreshLease(db, id, owner, seconds),
    releaseRefreshLease: (id, owner) => repo.releaseRefreshLease(db, id, owner),
    linearOAuth: {
      connect: write((id, connection) => repo.linearOAuth.connect(db, id, connection)),
      saveRotated: write((id, tokens) => repo.linearOAuth.saveRotated(db, id, tokens)),
      takeLease: (id, owner, seconds) => repo.linearOAuth.takeLease(db, id, owner, seconds),
      releaseLease: (id, owner) => repo.linearOAuth.releaseLease(db, id, owner),
      markEnded: write((id, status, message) => repo.linearOAuth.markEnded(db, id, status, message)),
      forget: write((id) => repo.linearOAuth.forget(db, id)),
      byOrganization: (organizationId) => repo.linearOAuth.byOrganization(db, organizationId),
    },
    disableAccount: write(async (accountId) => {
      const installation = await repo.findByAccountId(db, accountId);
      if (installation) await repo.disable(db, installation.id);
      return installation;
    }),
  };
}
