/**
 * Access tokens of marketplace (OAuth) installations: refreshed shortly before they expire and
 * after a 401, single-flight: within a process one refresh promise is shared, across processes
 * a lease on the installation row lets one refresh while the others wait for the new token.
 * Kommo rotates the refresh token, so the new pair is stored in one update.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { KommoTokens } from './oauth';

const REFRESH_MARGIN_MS = 5 * 60_000;
const LEASE_SECONDS = 30;

/** The stored pair, as the database has it now. */
export interface StoredTokens {
  kommoAccessToken: string | null;
  kommoRefreshToken: string | null;
  kommoTokenExpiresAt: Date | null;
}

export interface TokenStore {
  load(): Promise<StoredTokens | undefined>;
  takeLease(owner: string, seconds: number): Promise<boolean>;
  releaseLease(owner: string): Promise<void>;
  save(tokens: KommoTokens): Promise<void>;
  refresh(refreshToken: string): Promise<KommoTokens>;
}

export interface TokenProvider {
  /** A token valid for at least a few minutes. */
  current(): Promise<string>;
  /** Called after Kommo refused `stale`: returns a fresh token (refreshing once for everyone). */
  renew(stale: string): Promise<string>;
}

export function createTokenProvider(store: TokenStore, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): TokenProvider {
  const owner = randomUUID();
  let known: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function refreshFrom(stale: string | undefined): Promise<string> {
    for (let waited = 0; waited < LEASE_SECONDS * 1000; waited += 100) {
      const inst = await store.load();
      if (!inst?.kommoAccessToken || !inst.kommoRefreshToken) {
        throw new AppError('kommo_unauthorized', 'Kommo is not connected for this installation; install the widget again');
      }
      const expiresAt = inst.kommoTokenExpiresAt?.getTime() ?? 0;
      if (inst.kommoAccessToken !== stale && expiresAt - Date.now() > REFRESH_MARGIN_MS) {
        known = { token: inst.kommoAccessToken, expiresAt };
        return inst.kommoAccessToken;
      }
      if (await store.takeLease(owner, LEASE_SECONDS)) {
        try {
          const tokens = await store.refresh(inst.kommoRefreshToken);
          await store.save(tokens);
          known = { token: tokens.accessToken, expiresAt: tokens.expiresAt.getTime() };
          return tokens.accessToken;
        } finally {
          await store.releaseLease(owner);
        }
      }
      await sleep(100);
    }
    throw new AppError('kommo_unavailable', 'Waited too long for another process to refresh the Kommo token');
  }

  const single = (stale: string | undefined) => {
    inflight ??= refreshFrom(stale).finally(() => (inflight = undefined));
    return inflight;
  };

  return {
    async current() {
      if (known && known.expiresAt - Date.now() > REFRESH_MARGIN_MS) return known.token;
      return single(known?.token);
    },
    renew: (stale) => single(stale),
  };
}
