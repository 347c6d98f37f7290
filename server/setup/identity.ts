/**
 * After an installation appears: learn which Kommo account and Linear user its credentials
 * belong to, and register our webhooks where the credentials allow it.
 */
import type { Config } from '../config';
import type { InstallationStore } from '../db/installation-store';
import type { Installation } from '../domain/installation';
import type { Logger } from '../log';
import type { Tenant } from '../tenants';
import { registerWebhooks } from './register-webhooks';

export interface IdentityDeps {
  config: Config;
  installations: InstallationStore;
  tenantFor(installation: Installation): Tenant;
  log: Logger;
}

export async function learnIdentity(deps: IdentityDeps, inst: Installation): Promise<void> {
  const { installations, log } = deps;
  const tenant = deps.tenantFor(inst);
  try {
    const account = await tenant.referenceData.account();
    // With KOMMO_ACCOUNT_ID set, the subdomain is still learned: older webhooks name the account only by it.
    if (inst.kommoAccountId === null || (inst.kommoAccountId === account.id && inst.kommoSubdomain === null)) await installations.setAccount(inst.id, account.id, account.subdomain);
    else if (inst.kommoAccountId !== account.id) {
      log.error({ configured: inst.kommoAccountId, actual: account.id }, 'KOMMO_ACCOUNT_ID does not match the account of KOMMO_ACCESS_TOKEN');
    }
  } catch (error) {
    log.warn({ err: error }, 'could not read the Kommo account yet; webhooks are accepted by URL secret meanwhile');
  }
  try {
    const viewer = await tenant.linear.viewer();
    await installations.setLinearViewer(inst.id, viewer.viewer.id);
    log.info({ workspace: viewer.organization.name, user: viewer.viewer.name }, 'Linear connected');
  } catch (error) {
    log.warn({ err: error }, 'could not reach Linear with LINEAR_API_KEY yet');
  }
}

/** Never throws: a failure is logged with what to configure by hand. */
export async function registerInstallationWebhooks(deps: IdentityDeps, inst: Installation): Promise<void> {
  const { config, installations, log } = deps;
  try {
    const secret = (await installations.credentials(inst.id))?.kommoWebhookSecret ?? config.singleAccount?.kommoWebhookSecret ?? '';
    await registerWebhooks({
      installation: inst,
      ...deps.tenantFor(inst),
      log,
      kommoWebhookUrl: `${config.publicUrl}/webhooks/kommo/${secret}`,
      linearWebhookUrl: inst.mode === 'single' ? `${config.publicUrl}/webhooks/linear` : `${config.publicUrl}/webhooks/linear/${inst.id}`,
      saveKommoStatus: (status) => installations.setKommoWebhookStatus(inst.id, status),
      saveLinearWebhook: (webhookId, webhookSecret) => installations.setLinearWebhook(inst.id, webhookId, webhookSecret),
    });
  } catch (error) {
    log.warn({ err: error }, 'webhook registration failed');
  }
}

/** A Linear key was just connected: register the Linear webhook unless one is set up already. */
export async function registerLinearWebhookIfMissing(deps: IdentityDeps, installationId: string): Promise<void> {
  try {
    const inst = await deps.installations.load(installationId);
    if (inst && !inst.linearWebhookConfigured) await registerInstallationWebhooks(deps, inst);
  } catch (error) {
    deps.log.warn({ err: error }, 'webhook registration failed');
  }
}

/** Single-account mode, at start: learn the identity, then register the webhooks if configured to. */
export async function identifySingleAccount(deps: IdentityDeps, inst: Installation): Promise<void> {
  try {
    await learnIdentity(deps, inst);
    if (deps.config.registerWebhooks) await registerInstallationWebhooks(deps, inst);
  } catch (error) {
    deps.log.warn({ err: error }, 'could not identify the single account');
  }
}
