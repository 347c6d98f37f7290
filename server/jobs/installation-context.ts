/** What every per-installation job needs: the installation as stored now, its clients, its links. */
import { bindDb } from '../db/bind';
import type { Db } from '../db/create-db';
import type { InstallationStore } from '../db/installation-store';
import { linksRepo } from '../db/repos/links';
import type { Installation } from '../domain/installation';
import { kommoAccessProblemOf } from '../errors';
import type { LinkStore } from '../flows/ports';
import type { Logger } from '../log';
import type { Tenant } from '../tenants';

export interface InstallationJobDeps {
  db: Db;
  installations: InstallationStore;
  tenantFor: (installation: Installation) => Tenant;
  log: Logger;
  leaseSeconds: number;
}

export interface InstallationContext extends Tenant {
  installation: Installation;
  links: LinkStore;
  log: Logger;
}

/** Loads an active installation and its context, or undefined (logged) when it is gone or disabled. */
export async function loadInstallationContext(deps: InstallationJobDeps, installationId: string, log: Logger): Promise<InstallationContext | undefined> {
  const installation = await deps.installations.load(installationId);
  if (!installation || installation.status !== 'active') {
    log.warn({ installationId }, 'installation missing or disabled; job ignored');
    return undefined;
  }
  return { installation, links: bindDb(linksRepo, deps.db), ...deps.tenantFor(installation), log };
}

/**
 * When `error` is Kommo refusing the whole account (402, 403 on the account, 401 after a
 * refresh): the installation is marked with the reason and true is returned, so the job ends
 * without a retry; the periodic access check resumes the installation's work when Kommo answers.
 */
export async function recordKommoRefusal(deps: Pick<InstallationJobDeps, 'installations'>, ctx: InstallationContext, error: unknown): Promise<boolean> {
  const problem = kommoAccessProblemOf(error);
  if (!problem) return false;
  const message = error instanceof Error ? error.message : String(error);
  await deps.installations.setKommoAccess(ctx.installation.id, problem, message);
  ctx.log.warn({ problem, reason: message }, 'Kommo refuses the account; its jobs wait until it answers again');
  return true;
}
