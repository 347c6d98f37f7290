/** What every per-installation job needs: the installation as stored now, its clients, its links. */
import { bindDb } from '../db/bind';
import type { Db } from '../db/create-db';
import type { InstallationStore } from '../db/installation-store';
import { linksRepo } from '../db/repos/links';
import type { Installation } from '../domain/installation';
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
