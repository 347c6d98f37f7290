import { createTokenProvider, type StoredTokens, type TokenStore } from '../../../../server/kommo/tokens';

/** One database row shared by several "processes" (providers), with the refresh lease. */
function sharedRow() {
  const row = { access: 'old', refresh: 'r0', expiresAt: new Date(Date.now() - 1000), owner: null as string | null };
  let refreshes = 0;
  const storeFor = (): TokenStore => ({
    load: async () => ({ kommoAccessToken: row.access, kommoRefreshToken: row.refresh, kommoTokenExpiresAt: row.expiresAt }) as StoredTokens,
    takeLease: async (owner) => {
      if (row.owner && row.owner !== owner) return false;
      row.owner = owner;
      return true;
    },
    releaseLease: async (owner) => {
      if (row.owner === owner) row.owner = null;
    },
    save: async (tokens) => {
      row.access = tokens.accessToken;
      row.refresh = tokens.refreshToken;
      row.expiresAt = tokens.expiresAt;
    },
    refresh: async (refreshToken) => {
      refreshes++;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { accessToken: `new-from-${refreshToken}`, refreshToken: `${refreshToken}+`, expiresAt: new Date(Date.now() + 86_400_000) };
    },
  });
  return { row, storeFor, refreshes: () => refreshes };
}

describe('createTokenProvider', () => {
  it('refreshes an expired token once for many callers in several processes', async () => {
    const shared = sharedRow();
    const processes = [createTokenProvider(shared.storeFor(), (ms) => new Promise((r) => setTimeout(r, ms / 10))), createTokenProvider(shared.storeFor(), (ms) => new Promise((r) => setTimeout(r, ms / 10)))];
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => processes[i % 2]?.current()));
    expect(shared.refreshes()).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['new-from-r0']));
    expect(shared.row.refresh).toBe('r0+');
  });

  it('renews after a 401 even when the expiry looked fine, once for concurrent callers', async () => {
    const shared = sharedRow();
    shared.row.expiresAt = new Date(Date.now() + 86_400_000);
    const provider = createTokenProvider(shared.storeFor());
    expect(await provider.current()).toBe('old');
    const renewed = await Promise.all([provider.renew('old'), provider.renew('old'), provider.renew('old')]);
    expect(renewed).toEqual(['new-from-r0', 'new-from-r0', 'new-from-r0']);
    expect(shared.refreshes()).toBe(1);
    expect(await provider.current()).toBe('new-from-r0');
  });

  it('does not refresh when another process already stored a newer token', async () => {
    const shared = sharedRow();
    shared.row.expiresAt = new Date(Date.now() + 86_400_000);
    shared.row.access = 'rotated-elsewhere';
    const provider = createTokenProvider(shared.storeFor());
    expect(await provider.renew('old')).toBe('rotated-elsewhere');
    expect(shared.refreshes()).toBe(0);
  });
});
