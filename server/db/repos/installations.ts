/**
 * Installations: one Kommo account connected to one Linear workspace. Credentials are stored
 * encrypted and only decrypted here.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SecretBox } from '../../crypto/secret-box';
import { hashSecret } from '../../crypto/secret-box';
import type { Installation } from '../../domain/installation';
import type { KommoAccessProblem } from '../../domain/kommo-access';
import type { InstallationSettings } from '../../domain/settings';
import type { DbOrTrx } from '../create-db';
import { z } from 'zod';
import { AppError } from '../../errors';
import { nullableInteger, parseRow } from '../rows';
import { installationOf, recordOf, type InstallationCredentials, type InstallationRecord } from './installation-rows';
import { createLinearOAuthRepo, type LinearOAuthRepo } from './linear-oauth';

export type { Installation, InstallationCredentials, InstallationRecord };

/** How an installation is looked up: by id, by its Kommo webhook URL secret, by Kommo account, or the single-account one. */
export type InstallationKey = { id: string } | { webhookSecret: string } | { accountId: number } | { single: true };

export interface UpsertSingleInstallation {
  kommoBaseUrl: string;
  kommoAccountId: number | undefined;
  kommoAccessToken: string;
  kommoWebhookSecret: string;
  kommoClientId: string | undefined;
  kommoClientSecret: string | undefined;
  linearApiKey: string;
  linearWebhookSecret: string | undefined;
  /** Undefined keeps the stored settings (they were edited in the settings page). */
  settings: InstallationSettings | undefined;
}

export interface InstallationsRepo {
  /** The Linear OAuth grant's columns (linear-oauth.ts). */
  linearOAuth: LinearOAuthRepo;
  findById(db: DbOrTrx, id: string): Promise<Installation | undefined>;
  findByAccountId(db: DbOrTrx, accountId: number): Promise<Installation | undefined>;
  listActive(db: DbOrTrx): Promise<Installation[]>;
  /** Every installation's id, webhook secret hash and account: what the store can find at all. */
  knownKeys(db: DbOrTrx): Promise<KnownKeys>;
  /** The installation with its decrypted credentials, for the installation store's cache. */
  findRecord(db: DbOrTrx, key: InstallationKey): Promise<InstallationRecord | undefined>;
  /** Single-account mode: create or update the one installation declared in env. */
  upsertSingle(db: DbOrTrx, input: UpsertSingleInstallation): Promise<Installation>;
  setAccount(db: DbOrTrx, id: string, accountId: number, subdomain: string): Promise<void>;
  setLinearViewer(db: DbOrTrx, id: string, viewerId: string): Promise<void>;
  findSingle(db: DbOrTrx): Promise<Installation | undefined>;
  setReconciledAt(db: DbOrTrx, id: string, at: Date): Promise<void>;
  setWonPollCursor(db: DbOrTrx, id: string, cursor: number): Promise<void>;
  setKommoWebhookStatus(db: DbOrTrx, id: string, status: 'registered' | 'unavailable' | 'manual'): Promise<void>;
  /** `webhookId` null: the secret was pasted by an admin for a webhook set up by hand in Linear. */
  setLinearWebhook(db: DbOrTrx, id: string, webhookId: string | null, secret: string): Promise<void>;
  updateSettings(db: DbOrTrx, id: string, settings: InstallationSettings): Promise<void>;
  setLinearApiKey(db: DbOrTrx, id: string, apiKey: string | null, viewerId: string | null): Promise<void>;
  /** Marketplace install or reinstall: one row per Kommo account; links and settings survive a reinstall. */
  upsertOAuth(db: DbOrTrx, input: OAuthInstall): Promise<Installation>;
  /** Stores a rotated token pair atomically and releases the refresh lease. */
  setTokens(db: DbOrTrx, id: string, tokens: { accessToken: string; refreshToken: string; expiresAt: Date }): Promise<void>;
  /** True when `owner` may refresh now (no other process is refreshing this installation). */
  takeRefreshLease(db: DbOrTrx, id: string, owner: string, seconds: number): Promise<boolean>;
  releaseRefreshLease(db: DbOrTrx, id: string, owner: string): Promise<void>;
  disable(db: DbOrTrx, id: string): Promise<void>;
  /** Records that Kommo refuses the account (keeps the first `since`) and when that was seen. */
  setKommoAccess(db: DbOrTrx, id: string, problem: KommoAccessProblem, message: string): Promise<void>;
  /** Kommo answers again; true when a refusal was recorded until now. */
  clearKommoAccess(db: DbOrTrx, id: string): Promise<boolean>;
}

export interface KnownKeys {
  ids: Set<string>;
  secretHashes: Set<string>;
  accountIds: Set<number>;
  /** Every installation's Kommo address, active or disabled (CORS). */
  baseUrls: Set<string>;
}

export interface OAuthInstall {
  accountId: number;
  subdomain: string;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  tokens: { accessToken: string; refreshToken: string; expiresAt: Date };
  /** When Kommo sent the grant (default: now): a grant older than a revoke cannot enable the installation again. */
  grantedAt?: Date;
}

const KnownKeysSchema = z.array(z.object({ id: z.string(), kommo_webhook_secret_hash: z.string(), kommo_account_id: nullableInteger, kommo_base_url: z.string() }));

function where(key: InstallationKey): Record<string, string | number> {
  if ('id' in key) return { id: key.id };
  if ('webhookSecret' in key) return { kommo_webhook_secret_hash: hashSecret(key.webhookSecret) };
  if ('accountId' in key) return { kommo_account_id: key.accountId };
  return { mode: 'single' };
}

export function createInstallationsRepo(box: SecretBox): InstallationsRepo {
  const one = async (q: Promise<unknown>) => {
    const row = await q;
    return row ? installationOf(row) : undefined;
  };

  return {
    linearOAuth: createLinearOAuthRepo(box),
    findById: (db, id) => one(db('installations').where({ id }).first()),
    findByAccountId: (db, accountId) => one(db('installations').where({ kommo_account_id: accountId }).first()),
    async listActive(db) {
      const rows = await db('installations').where({ status: 'active' }).orderBy('created_at');
      return rows.map(installationOf);
    },
    async knownKeys(db) {
      const rows: unknown = await db('installations').select('id', 'kommo_webhook_secret_hash', 'kommo_account_id', 'kommo_base_url');
      const keys = parseRow(KnownKeysSchema, rows, 'installations');
      return {
        ids: new Set(keys.map((r) => r.id)),
        secretHashes: new Set(keys.map((r) => r.kommo_webhook_secret_hash)),
        accountIds: new Set(keys.flatMap((r) => (r.kommo_account_id === null ? [] : [r.kommo_account_id]))),
        baseUrls: new Set(keys.map((r) => r.kommo_base_url)),
      };
    },
    async findRecord(db, key) {
      const row: unknown = await db('installations').where(where(key)).first();
      return row ? recordOf(row, box) : undefined;
    },
    async upsertSingle(db, input) {
      const existing = await this.findRecord(db, { single: true });
      // Revoked by Kommo: a restart does not enable it again, only a new long-lived token does.
      const revoked = existing?.installation.status === 'disabled' && existing.credentials.kommoAccessToken === input.kommoAccessToken;
      const values = {
        mode: 'single',
        ...(revoked ? {} : { status: 'active', disabled_at: null, disabled_by: null }),
        kommo_base_url: input.kommoBaseUrl,
        kommo_access_token_enc: box.encrypt(input.kommoAccessToken),
        kommo_webhook_secret_hash: hashSecret(input.kommoWebhookSecret),
        kommo_client_id: input.kommoClientId ?? null,
        kommo_client_secret_enc: input.kommoClientSecret ? box.encrypt(input.kommoClientSecret) : null,
        linear_api_key_enc: box.encrypt(input.linearApiKey),
        // Absent from env: keep a secret registered automatically earlier.
        ...(input.linearWebhookSecret ? { linear_webhook_secret_enc: box.encrypt(input.linearWebhookSecret) } : {}),
        ...(input.settings ? { settings: JSON.stringify(input.settings) } : {}),
        updated_at: db.fn.now(),
        ...(input.kommoAccountId === undefined ? {} : { kommo_account_id: input.kommoAccountId }),
      };
      const id = existing?.installation.id ?? randomUUID();
      if (existing) await db('installations').where({ id }).update(values);
      else await db('installations').insert({ id, status: 'active', ...values, settings: JSON.stringify(input.settings ?? {}) });
      const saved = await this.findById(db, id);
      if (!saved) throw new Error('installation vanished after upsert');
      return saved;
    },
    async setAccount(db, id, accountId, subdomain) {
      await db('installations')
        .where({ id })
        .update({ kommo_account_id: accountId, kommo_subdomain: subdomain, updated_at: db.fn.now() });
    },
    findSingle: (db) => one(db('installations').where({ mode: 'single' }).first()),
    async setReconciledAt(db, id, at) {
      await db('installations').where({ id }).update({ reconciled_at: at });
    },
    async setWonPollCursor(db, id, cursor) {
      await db('installations').where({ id }).update({ won_poll_cursor: cursor });
    },
    async setKommoWebhookStatus(db, id, status) {
      await db('installations').where({ id }).update({ kommo_webhook_status: status, updated_at: db.fn.now() });
    },
    async setLinearWebhook(db, id, webhookId, secret) {
      await db('installations')
        .where({ id })
        .update({ linear_webhook_id: webhookId, linear_webhook_secret_enc: box.encrypt(secret), updated_at: db.fn.now() });
    },
    async upsertOAuth(db, input) {
      const existing = await this.findRecord(db, { accountId: input.accountId });
      const revokedAt = existing?.installation.disabled?.at;
      if (revokedAt && (input.grantedAt ?? new Date()).getTime() <= revokedAt.getTime()) {
        throw new AppError('installation_disabled', 'Kommo revoked access after this install grant; only a new install (a fresh grant) enables the account again');
      }
      const secret = existing?.credentials.kommoWebhookSecret ?? randomBytes(24).toString('base64url');
      const values = {
        mode: existing?.installation.mode ?? 'oauth',
        status: 'active',
        kommo_account_id: input.accountId,
        kommo_subdomain: input.subdomain,
        kommo_base_url: input.baseUrl,
        kommo_access_token_enc: box.encrypt(input.tokens.accessToken),
        kommo_refresh_token_enc: box.encrypt(input.tokens.refreshToken),
        kommo_token_expires_at: input.tokens.expiresAt,
        kommo_webhook_secret_hash: hashSecret(secret),
        kommo_webhook_secret_enc: box.encrypt(secret),
        kommo_client_id: input.clientId,
        kommo_client_secret_enc: box.encrypt(input.clientSecret),
        disabled_at: null,
        disabled_by: null,
        updated_at: db.fn.now(),
      };
      const id = existing?.installation.id ?? randomUUID();
      if (existing) await db('installations').where({ id }).update(values);
      else await db('installations').insert({ id, ...values, settings: JSON.stringify({}) });
      const saved = await this.findById(db, id);
      if (!saved) throw new Error('installation vanished after upsert');
      return saved;
    },
    async setTokens(db, id, tokens) {
      await db('installations').where({ id }).update({
        kommo_access_token_enc: box.encrypt(tokens.accessToken),
        kommo_refresh_token_enc: box.encrypt(tokens.refreshToken),
        kommo_token_expires_at: tokens.expiresAt,
        refresh_owner: null,
        refresh_until: null,
        updated_at: db.fn.now(),
      });
    },
    async takeRefreshLease(db, id, owner, seconds) {
      const updated = await db('installations')
        .where({ id })
        .andWhere((q) => q.whereNull('refresh_until').orWhere('refresh_until', '<', db.fn.now()).orWhere({ refresh_owner: owner }))
        .update({ refresh_owner: owner, refresh_until: db.raw(`now() + (? * interval '1 second')`, [seconds]) });
      return Number(updated) === 1;
    },
    async releaseRefreshLease(db, id, owner) {
      await db('installations').where({ id, refresh_owner: owner }).update({ refresh_owner: null, refresh_until: null });
    },
    async disable(db, id) {
      await db('installations').where({ id }).update({ status: 'disabled', disabled_at: db.fn.now(), disabled_by: 'kommo_revoke', updated_at: db.fn.now() });
    },
    async setKommoAccess(db, id, problem, message) {
      await db('installations')
        .where({ id })
        .update({
          kommo_access_problem: problem,
          kommo_access_message: message.slice(0, 2000),
          kommo_access_since: db.raw('coalesce(kommo_access_since, now())'),
          kommo_access_checked_at: db.fn.now(),
        });
    },
    async clearKommoAccess(db, id) {
      const cleared = await db('installations')
        .where({ id })
        .whereNotNull('kommo_access_problem')
        .update({ kommo_access_problem: null, kommo_access_message: null, kommo_access_since: null, kommo_access_checked_at: null });
      return Number(cleared) > 0;
    },
    async updateSettings(db, id, settings) {
      await db('installations').where({ id }).update({ settings: JSON.stringify(settings), updated_at: db.fn.now() });
    },
    async setLinearApiKey(db, id, apiKey, viewerId) {
      await db('installations')
        .where({ id })
        .update({ linear_api_key_enc: apiKey === null ? null : box.encrypt(apiKey), linear_viewer_id: viewerId, updated_at: db.fn.now() });
    },
    async setLinearViewer(db, id, viewerId) {
      await db('installations').where({ id }).update({ linear_viewer_id: viewerId, updated_at: db.fn.now() });
    },
  };
}
