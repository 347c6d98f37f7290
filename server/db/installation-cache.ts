/**
 * Installations looked up on every webhook, kept in memory for a few seconds so that the hot
 * intake path costs no database round trip. Unknown secrets are cached too (briefly), so a flood
 * of wrong URLs cannot hammer the database. Settings and credential changes made through this
 * process clear it at once (`invalidate`); other instances catch up within the time to live.
 */
import { hashSecret } from '../crypto/secret-box';
import type { Db } from './create-db';
import type { Installation, InstallationsRepo } from './repos/installations';

export interface InstallationCache {
  bySecret(secret: string): Promise<Installation | undefined>;
  /**
   * The installation of a Linear webhook URL (`undefined`: the single-account one). Kept only
   * while it has a signing secret, so a secret set a moment ago is seen at once; `fresh` reads
   * the database, for a signature that does not match a cached secret.
   */
  forLinear(id: string | undefined, options?: { fresh?: boolean }): Promise<Installation | undefined>;
  invalidate(): void;
}

interface Entry {
  value: Installation | undefined;
  expiresAt: number;
}

export function createInstallationCache(db: Db, repo: InstallationsRepo, ttlMs = 5000): InstallationCache {
  const entries = new Map<string, Entry>();
  const cached = async (key: string, load: () => Promise<Installation | undefined>, keep: (value: Installation | undefined) => boolean) => {
    const hit = entries.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    const value = await load();
    if (entries.size > 10_000) entries.clear();
    if (keep(value)) entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    else entries.delete(key);
    return value;
  };
  return {
    bySecret: (secret) =>
      // An installation whose account is not learned yet is re-read, so the account check starts at once.
      cached(`kommo:${hashSecret(secret)}`, () => repo.findByWebhookSecret(db, secret), (value) => value?.kommoAccountId !== null),
    forLinear(id, options = {}) {
      const key = `linear:${id ?? 'single'}`;
      if (options.fresh) entries.delete(key);
      return cached(key, () => (id ? repo.findById(db, id) : repo.findSingle(db)), (value) => Boolean(value?.linearWebhookSecret));
    },
    invalidate: () => entries.clear(),
  };
}
