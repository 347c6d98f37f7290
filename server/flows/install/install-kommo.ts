/**
 * A marketplace install: the saved authorization code becomes a token pair (kept with the grant,
 * since the code works once), the account is identified, and the installation is created or
 * reactivated with its links, settings and history; then our Kommo webhook is registered.
 */
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import type { InstallDeps } from './deps';

export async function installFromGrant(deps: InstallDeps, grantId: string, finalAttempt: boolean): Promise<Installation | undefined> {
  const grant = await deps.findGrant(grantId);
  if (!grant || grant.status !== 'pending') return undefined;
  const baseUrl = deps.accountBaseUrl(grant.referer);
  try {
    let tokens = grant.tokens;
    if (!tokens) {
      tokens = await deps.exchange(baseUrl, grant.code);
      await deps.saveGrantTokens(grant.id, tokens);
    }
    const account = await deps.readAccount(baseUrl, tokens.accessToken);
    const installation = await deps.upsert({ accountId: account.id, subdomain: account.subdomain, baseUrl, tokens, grantedAt: grant.receivedAt });
    await deps.finishGrant(grant.id, { installationId: installation.id });
    deps.log.info({ installationId: installation.id, accountId: account.id }, 'Kommo account installed');
    await deps.afterInstall(installation).catch((error: unknown) => deps.log.warn({ err: error }, 'post-install steps failed'));
    return installation;
  } catch (error) {
    const permanent = !(error instanceof AppError) || !error.retryable || finalAttempt;
    if (permanent) {
      await deps.finishGrant(grant.id, { error: error instanceof Error ? error.message : String(error) });
      deps.log.warn({ err: error, referer: grant.referer }, 'Kommo install failed');
      return undefined;
    }
    throw error;
  }
}
