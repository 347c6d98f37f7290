/** What every per-installation job needs: the installation, its clients, bound repositories. */
import { bindDb } from '../db/bind';
import type { Db } from '../db/create-db';
import type { Installation, InstallationsRepo } from '../db/repos/installations';
import { linksRepo } from '../db/repos/links';
import type { Logger } from '../log';
import type { Tenant } from '../tenants';

export interface InstallationJobDeps {
  db: Db;
  installations: InstallationsRepo;
  tenantFor: (installation: Installation) => Tenant;
  log: Logger;
  leaseSeconds: number;
}

/** Loads an active installation and its context, or undefined (logged) when it is gone or disabled. */
export async function loadInstallationContext(deps: InstallationJobDeps, installationId: string, log: Logger) {
  const installation = await deps.installations.findById(deps.db, installationId);
  if (!installation || installation.status !== 'active') {
    log.warn({ installationId }, 'installation missing or disabled; job ignored');
    return undefined;
  }
  return { installation, links: bindDb(linksRepo, deps.db), ...deps.tenantFor(installation), log };
}
