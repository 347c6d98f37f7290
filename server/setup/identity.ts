/**
 * After an installation appears: learn which Kommo account and Linear user its credentials
 * belong to, and register our webhooks where the credentials allow it.
 */
import type { Config } from '../config';
import type { Db } from '../db/create-db';
import type { Installation, InstallationsRepo } from '../db/repos/installations';
import type { Logger } from '../log';
import { registerWebhooks } from '../sync/register-webhooks';
import type { Tenant } from '../tenants';

export interface IdentityDeps {
  config: Config;
  db: Db;
  installations: InstallationsRepo;
  tenantFor(installation: Installation): Tenant;
  log: Logger;
}

export async function learnIdentity(deps: IdentityDeps, inst: Installation): Promise<void> {
  const { db, installations, log } = deps;
  const tenant = deps.tenantFor(inst);
  try {
    const account = await tenant.directory.account();
    if (inst.kommoAccountId === null) await installations.setAccount(db, inst.id, account.id, account.subdomain);
    else if (inst.kommoAccountId !== account.id) {
      log.error({ configured: inst.kommoAccountId, actual: account.id }, 'KOMMO_ACCOUNT_ID does not match the account of KOMMO_ACCESS_TOKEN');
    }
  } catch (error) {
    log.warn({ err: error }, 'could not read the Kommo account yet; webhooks are accepted by URL secret meanwhile');
  }
  try {
    const viewer = await tenant.linear.viewer();
    await installations.setLinearViewer(db, inst.id, viewer.viewer.id);
    log.info({ workspace: viewer.organization.name, user: viewer.viewer.name }, 'Linear connected');
  } catch (error) {
    log.warn({ err: error }, 'could not reach Linear with LINEAR_API_KEY yet');
  }
}

export async function registerInstallationWebhooks(deps: IdentityDeps, inst: Installation): Promise<void> {
  const { config, db, installations, log } = deps;
  const secret = inst.kommoWebhookSecret ?? config.singleAccount?.kommoWebhookSecret ?? '';
  await registerWebhooks({
    installation: inst,
    ...deps.tenantFor(inst),
    log,
    kommoWebhookUrl: `${config.publicUrl}/webhooks/kommo/${secret}`,
    linearWebhookUrl: inst.mode === 'single' ? `${config.publicUrl}/webhooks/linear` : `${config.publicUrl}/webhooks/linear/${inst.id}`,
    saveKommoStatus: (status) => installations.setKommoWebhookStatus(db, inst.id, status),
    saveLinearWebhook: (webhookId, webhookSecret) => installations.setLinearWebhook(db, inst.id, webhookId, webhookSecret),
  }).catch((error: unknown) => log.warn({ err: error }, 'webhook registration failed'));
}
