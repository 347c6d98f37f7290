/**
 * What the Linear client authenticates with: the installation's OAuth access token when
 * "Connect Linear" was used, else its personal API key. OAuth access tokens live 24 hours and
 * every refresh rotates the refresh token (https://linear.app/developers/oauth-2-0-authentication),
 * so refreshing is single-flight: one promise per process, and across processes a lease on the
 * installation row; whoever gets the lease re-reads the row first (another process may have just
 * rotated the pair, and the old refresh token is then spent), refreshes, and stores the new pair
 * in one update. A refused refresh marks the installation "reconnect needed": jobs wait for it.
 */
import { randomUUID } from 'node:crypto';
import type { LinearOAuthTokens } from '../db/repos/linear-oauth';
import type { LinearOAuthStatus } from '../domain/installation';
import { AppError } from '../errors';

const REFRESH_MARGIN_MS = 5 * 60_000;
const LEASE_SECONDS = 30;

export type LinearCredential = { kind: 'apiKey'; value: string } | { kind: 'oauth'; value: string };

export interface LinearTokenSource {
  current(): Promise<LinearCredential>;
  /** After Linear refused `stale` (401): a fresh credential, refreshed once for everyone; undefined when none can be had. */
  renew(stale: LinearCredential): Promise<LinearCredential | undefined>;
}

/** The installation's Linear credentials as stored now. */
export interface StoredLinearAuth {
  apiKey: string | null;
  status: LinearOAuthStatus | null;
  oauth: { accessToken: string; refreshToken: string; expiresAt: Date | null } | null;
}

export interface LinearTokenStore {
  /** `fresh`: from the database, not a cache (under the lease). */
  load(fresh: boolean): Promise<StoredLinearAuth | undefined>;
  takeLease(owner: string, seconds: number): Promise<boolean>;
  releaseLease(owner: string): Promise<void>;
  save(tokens: LinearOAuthTokens): Promise<void>;
  refresh(refreshToken: string): Promise<LinearOAuthTokens>;
  /** Linear refused the refresh token: the grant is over until an admin reconnects. */
  markReconnectNeeded(message: string): Promise<void>;
}

/** A fixed personal API key (the settings page checks a pasted key with it). */
export function fixedApiKey(apiKey: string): LinearTokenSource {
  const credential: LinearCredential = { kind: 'apiKey', value: apiKey };
  return { current: async () => credential, renew: async () => undefined };
}

export function reconnectNeeded(status: LinearOAuthStatus): AppError {
  const why = status === 'revoked' ? 'the app was removed from the Linear workspace' : 'Linear refused to renew its access';
  return new AppError('linear_reconnect_needed', `Linear is disconnected (${why}): an admin must click "Reconnect Linear" in the settings; waiting deals are created then`);
}

export function createLinearTokenSource(store: LinearTokenStore, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): LinearTokenSource {
  const owner = randomUUID();
  let known: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<LinearCredential> | undefined;

  type Pair = NonNullable<StoredLinearAuth['oauth']>;
  const fresh = (pair: Pair, stale: string | undefined) => {
    const expiresAt = pair.expiresAt?.getTime() ?? 0;
    return pair.accessToken !== stale && expiresAt - Date.now() > REFRESH_MARGIN_MS ? { token: pair.accessToken, expiresAt } : undefined;
  };

  /** The OAuth pair to use, or the API key when the installation does not use OAuth. */
  function oauthOrKey(auth: StoredLinearAuth | undefined): Pair | LinearCredential {
    if (auth?.status && auth.status !== 'connected') throw reconnectNeeded(auth.status);
    if (auth?.oauth) return auth.oauth;
    if (auth?.apiKey) return { kind: 'apiKey', value: auth.apiKey };
    throw new AppError('not_configured', 'Linear is not connected: connect Linear (or paste a Linear API key) in the settings');
  }

  async function refreshFrom(stale: string | undefined): Promise<LinearCredential> {
    for (let waited = 0; waited < LEASE_SECONDS * 1000; waited += 100) {
      const auth = await store.load(waited > 0);
      const pair = oauthOrKey(auth);
      if ('kind' in pair) return pair;
      const ready = fresh(pair, stale);
      if (ready) {
        known = ready;
        return { kind: 'oauth', value: ready.token };
      }
      if (await store.takeLease(owner, LEASE_SECONDS)) {
        try {
          // Under the lease: the pair may have been rotated since the read above.
          const leased = await store.load(true);
          const current = oauthOrKey(leased);
          if ('kind' in current) return current;
          const rotated = fresh(current, stale);
          if (rotated) {
            known = rotated;
            return { kind: 'oauth', value: rotated.token };
          }
          let tokens: LinearOAuthTokens;
          try {
            tokens = await store.refresh(current.refreshToken);
          } catch (error) {
            if (error instanceof AppError && error.code === 'linear_reconnect_needed') {
              known = undefined;
              await store.markReconnectNeeded(error.message);
              throw reconnectNeeded('reconnect_needed');
            }
            throw error;
          }
          await store.save(tokens);
          known = { token: tokens.accessToken, expiresAt: tokens.expiresAt.getTime() };
          return { kind: 'oauth', value: tokens.accessToken };
        } finally {
          await store.releaseLease(owner);
        }
      }
      await sleep(100);
    }
    throw new AppError('linear_unavailable', 'Waited too long for another process to refresh the Linear token');
  }

  const single = (stale: string | undefined) => {
    inflight ??= refreshFrom(stale).finally(() => (inflight = undefined));
    return inflight;
  };

  return {
    async current() {
      if (known && known.expiresAt - Date.now() > REFRESH_MARGIN_MS) return { kind: 'oauth', value: known.token };
      return single(known?.token);
    },
    async renew(stale) {
      if (stale.kind !== 'oauth') return undefined;
      if (known?.token === stale.value) known = undefined;
      return single(stale.value);
    },
  };
}
