import { AppError } from '../../../../server/errors';
import { createLinearTokenSource, type LinearTokenStore, type StoredLinearAuth } from '../../../../server/linear/tokens';

/** Two "processes" (token sources) over one stored row with a lease, as in the database. */
function sharedRow(initial: StoredLinearAuth) {
  let stored = initial;
  let lease: string | undefined;
  const refreshed: string[] = [];
  let refuse = false;
  const store: LinearTokenStore = {
    load: async () => stored,
    takeLease: async (owner) => (lease === undefined || lease === owner ? ((lease = owner), true) : false),
    releaseLease: async (owner) => {
      if (lease === owner) lease = undefined;
    },
    save: async (tokens) => {
      stored = { ...stored, oauth: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt } };
    },
    refresh: async (refreshToken) => {
      refreshed.push(refreshToken);
      if (refuse) throw new AppError('linear_reconnect_needed', 'Linear refused the refresh token (invalid_grant)');
      return { accessToken: `at-${refreshed.length}`, refreshToken: `rt-${refreshed.length}`, expiresAt: new Date(Date.now() + 86_399_000), scope: 'read' };
    },
    markReconnectNeeded: async () => {
      stored = { ...stored, status: 'reconnect_needed', oauth: null };
    },
  };
  return { store, refreshed, row: () => stored, refuseFromNow: () => (refuse = true) };
}

const expired = (): StoredLinearAuth => ({ apiKey: null, status: 'connected', oauth: { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: new Date(Date.now() - 1000) } });
const noSleep = () => Promise.resolve();

describe('Linear token source', () => {
  it('refreshes once for two processes; the second re-reads under the lease instead of spending the rotated refresh token', async () => {
    const shared = sharedRow(expired());
    const [a, b] = [createLinearTokenSource(shared.store, noSleep), createLinearTokenSource(shared.store, noSleep)];
    const tokens = await Promise.all([a.current(), b.current(), a.current(), b.current()]);
    expect(shared.refreshed).toEqual(['rt-0']);
    expect(new Set(tokens.map((t) => t.value))).toEqual(new Set(['at-1']));
    expect(shared.row().oauth?.refreshToken).toBe('rt-1');
  });

  it('renews after a 401 once, and marks "reconnect needed" when Linear refuses the refresh token', async () => {
    const shared = sharedRow({ ...expired(), oauth: { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: new Date(Date.now() + 3_600_000) } });
    const source = createLinearTokenSource(shared.store, noSleep);
    const first = await source.current();
    expect(first).toEqual({ kind: 'oauth', value: 'at-0' });
    expect(await source.renew(first)).toEqual({ kind: 'oauth', value: 'at-1' });
    shared.refuseFromNow();
    const refused = await source.renew({ kind: 'oauth', value: 'at-1' }).catch((e: unknown) => e);
    expect((refused as AppError).code).toBe('linear_reconnect_needed');
    expect(shared.row().status).toBe('reconnect_needed');
    expect(((await source.current().catch((e: unknown) => e)) as AppError).code).toBe('linear_reconnect_needed');
  });

  it('uses the personal API key when the installation has no OAuth grant', async () => {
    const source = createLinearTokenSource(sharedRow({ apiKey: 'lin_api_x', status: null, oauth: null }).store, noSleep);
    expect(await source.current()).toEqual({ kind: 'apiKey', value: 'lin_api_x' });
    expect(await source.renew({ kind: 'apiKey', value: 'lin_api_x' })).toBeUndefined();
  });
});
