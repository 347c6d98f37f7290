/**
 * "Connect Linear" (OAuth 2.0, authorization code, `actor=app`): an admin asks for a single-use,
 * short-lived `state` bound to the installation and to them, and Linear's consent page sends the
 * browser back with a code. The callback only checks the state and hands code and state to the
 * settings page that opened the window, which finishes with its own Kommo one-time token: so a
 * consent link forwarded to someone else (another workspace's admin) connects nothing, because
 * that browser has no such page. Finishing spends the state, checks that the same installation
 * and admin started it, exchanges the code, reads the workspace and stores the grant.
 * Reconnecting resumes the deals that waited. Disconnect revokes the grant at Linear and
 * forgets it; the workspace removing the app (the `OAuthApp` revoked event) marks it revoked.
 */
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import type { Logger } from '../../log';

/** How long an admin has between "Connect Linear" and approving in Linear. */
export const STATE_TTL_SECONDS = 10 * 60;

export interface GrantTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scope: string;
}

/** What checking (and spending) a state found. */
export type ConsumedState = { ok: true; installationId: string; userId: number | null } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export interface LinearWorkspace {
  viewerId: string;
  organizationId: string;
  organizationName: string;
  teams: Array<{ id: string; key: string; name: string }>;
}

export interface LinearConnectDeps {
  authorizeUrl(state: string, options: { admin: boolean }): string;
  exchangeCode(code: string): Promise<GrantTokens>;
  revoke(token: string): Promise<void>;
  readWorkspace(accessToken: string): Promise<LinearWorkspace>;
  createState(installationId: string, userId: number | null, ttlSeconds: number): Promise<{ state: string; expiresAt: Date }>;
  consumeState(state: string): Promise<ConsumedState>;
  /** The state's owner without spending it. */
  peekState(state: string): Promise<ConsumedState>;
  loadInstallation(id: string): Promise<Installation | undefined>;
  /** The stored refresh token (revoking it ends the whole grant). */
  refreshTokenOf(installationId: string): Promise<string | undefined>;
  connect(installationId: string, connection: { tokens: GrantTokens; organizationId: string; viewerId: string }): Promise<void>;
  forget(installationId: string): Promise<void>;
  markRevoked(installationId: string): Promise<void>;
  installationsOfOrganization(organizationId: string): Promise<string[]>;
  /** After a (re)connect: queue the deals that waited, forget the other workspace's lists, register what needs it. */
  afterConnect(installationId: string): Promise<void>;
  log: Logger;
}

export type CallbackQuery = { code?: string | undefined; state?: string | undefined; error?: string | undefined };

export interface Connected {
  installation: Installation;
  workspace: string;
  teams: number;
}

/** What the callback page hands to the settings page that opened it. */
export interface CallbackChecked {
  installation: Installation;
  code: string;
  state: string;
}

const STATE_PROBLEMS: Record<Exclude<ConsumedState, { ok: true }>['reason'], string> = {
  unknown: 'This Linear connection link is not ours or was tampered with: click "Connect Linear" in the widget settings again',
  used: 'This Linear connection link was already used: click "Connect Linear" in the widget settings again',
  expired: `This Linear connection link expired (it is valid ${STATE_TTL_SECONDS / 60} minutes): click "Connect Linear" in the widget settings again`,
};

export function createLinearConnect(deps: LinearConnectDeps) {
  /** The active installation a state belongs to; a 400 with what to do otherwise. */
  async function activeOwner(state: ConsumedState): Promise<Installation> {
    if (!state.ok) throw new AppError('bad_request', STATE_PROBLEMS[state.reason], { field: 'state' });
    const installation = await deps.loadInstallation(state.installationId);
    if (!installation || installation.status !== 'active') {
      throw new AppError('bad_request', 'The installation this Linear connection was started for is gone or disabled: install the widget again', { field: 'state' });
    }
    return installation;
  }

  return {
    async start(installation: Installation, userId: number | null, options: { admin: boolean }): Promise<{ authorizeUrl: string; state: string; expiresAt: string }> {
      const { state, expiresAt } = await deps.createState(installation.id, userId, STATE_TTL_SECONDS);
      return { authorizeUrl: deps.authorizeUrl(state, options), state, expiresAt: expiresAt.toISOString() };
    },

    /** The state is checked before anything else, not spent; every refusal is a 400 with what to do. */
    async callback(query: CallbackQuery): Promise<CallbackChecked> {
      if (!query.state) throw new AppError('bad_request', 'The Linear callback has no state: start from "Connect Linear" in the widget settings', { field: 'state' });
      const installation = await activeOwner(await deps.peekState(query.state));
      if (query.error) throw new AppError('bad_request', `Linear did not connect (${query.error}): nothing changed; click "Connect Linear" to try again`, { field: 'error' });
      if (!query.code) throw new AppError('bad_request', 'The Linear callback has no code', { field: 'code' });
      return { installation, code: query.code, state: query.state };
    },

    /** The settings page finishes: the state is spent, and must be this installation's and this admin's. */
    async complete(caller: Installation, userId: number | null, input: { code: string; state: string }): Promise<Connected> {
      // Whose it is first, so that someone else's attempt does not spend the admin's state.
      const owner = await deps.peekState(input.state);
      if (owner.ok && (owner.installationId !== caller.id || (owner.userId !== null && owner.userId !== userId))) {
        throw new AppError('bad_request', 'This Linear connection was started by another admin or for another account: click "Connect Linear" again', { field: 'state' });
      }
      const consumed = await deps.consumeState(input.state);
      const installation = await activeOwner(consumed);
      if (!consumed.ok || consumed.installationId !== caller.id) throw new AppError('bad_request', STATE_PROBLEMS.used, { field: 'state' });
      const tokens = await deps.exchangeCode(input.code);
      const workspace = await deps.readWorkspace(tokens.accessToken);
      await deps.connect(installation.id, { tokens, organizationId: workspace.organizationId, viewerId: workspace.viewerId });
      deps.log.info({ installationId: installation.id, organizationId: workspace.organizationId, teams: workspace.teams.length, userId: consumed.userId }, 'Linear connected (OAuth)');
      await deps.afterConnect(installation.id);
      return { installation, workspace: workspace.organizationName, teams: workspace.teams.length };
    },

    /** Revokes at Linear first: if Linear cannot be reached, nothing is forgotten and the admin can try again. */
    async disconnect(installation: Installation): Promise<void> {
      const refreshToken = await deps.refreshTokenOf(installation.id);
      if (refreshToken) await deps.revoke(refreshToken);
      await deps.forget(installation.id);
      deps.log.info({ installationId: installation.id }, 'Linear disconnected (OAuth grant revoked)');
    },

    /** The workspace removed the app: its installations wait for a reconnect. */
    async onAppRevoked(organizationId: string): Promise<number> {
      const ids = await deps.installationsOfOrganization(organizationId);
      for (const id of ids) await deps.markRevoked(id);
      deps.log.warn({ organizationId, installations: ids.length }, 'Linear workspace removed the app; reconnect needed');
      return ids.length;
    },
  };
}
export type LinearConnect = ReturnType<typeof createLinearConnect>;
