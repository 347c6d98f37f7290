/**
 * Installations looked up on every webhook, kept in memory for a few seconds so that the hot
 * intake path costs no database round trip. Unknown secrets are cached too (briefly), so a flood
 * of wrong URLs cannot hammer the database.
 */
import { hashSecret } from '../crypto/secret-box';
import type { Db } from './create-db';
import type { Installation, InstallationsRepo } from './repos/installations';

export interface InstallationCache {
  bySecret(secret: string): Promise<Installation | undefined>;
  invalidate(): void;
}

export function createInstallationCache(db: Db, repo: InstallationsRepo, ttlMs = 5000): InstallationCache {
  const entries = new Map<string, { value: Installation | undefined; expiresAt: number }>();
  return {
    async bySecret(secret) {
      const key = hashSecret(secret);
      const hit = entries.get(key);
      if (hit && hit.expiresAt > Date.now()) return hit.value;
      const value = await repo.findByWebhookSecret(db, secret);
      if (entries.size > 10_000) entries.clear();
      // An installation whose account is not learned yet is re-read, so the account check starts at once.
      if (value?.kommoAccountId !== null) entries.set(key, { value, expiresAt: Date.now() + ttlMs });
      return value;
    },
    invalidate: () => entries.clear(),
  };
}
