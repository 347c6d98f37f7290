/**
 * Single-account mode (a private integration): the env declares one installation, created or
 * updated at every start. Its settings come from SETTINGS_JSON / SETTINGS_FILE, with LINEAR_TEAM
 * as the default team.
 */
import { readFileSync } from 'node:fs';
import type { SingleAccountConfig } from '../config';
import { ConfigError } from '../config';
import type { Db } from '../db/create-db';
import type { InstallationStore } from '../db/installation-store';
import { settingsChangesRepo } from '../db/repos/settings-changes';
import type { Installation } from '../domain/installation';
import { SettingsSchema } from '../domain/settings';
import type { Logger } from '../log';

export function settingsFromConfig(single: SingleAccountConfig) {
  let raw: unknown = {};
  const source = single.settingsSource;
  try {
    if (source?.kind === 'json') raw = JSON.parse(source.text);
    if (source?.kind === 'file') raw = JSON.parse(readFileSync(source.path, 'utf8'));
  } catch (error) {
    const where = source?.kind === 'file' ? `SETTINGS_FILE (${source.path})` : 'SETTINGS_JSON';
    throw new ConfigError([`${where} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const withTeam = typeof raw === 'object' && raw !== null ? { ...(single.linearTeam ? { team: single.linearTeam } : {}), ...raw } : raw;
  const parsed = SettingsSchema.safeParse(withTeam);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `settings.${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}

/**
 * Env settings seed the installation; once an admin has edited settings in the page, the page
 * owns them and env settings are ignored (with a warning).
 */
export async function seedSingleAccount(db: Db, store: InstallationStore, single: SingleAccountConfig, log: Logger): Promise<Installation> {
  const fromEnv = settingsFromConfig(single);
  const existing = await store.findSingle();
  const editedInPage = existing ? (await settingsChangesRepo.recent(db, existing.id, 1)).length > 0 : false;
  if (editedInPage && single.settingsSource) log.warn('settings were edited in the settings page; SETTINGS_JSON / SETTINGS_FILE are ignored');
  return store.upsertSingle({
    kommoBaseUrl: single.kommoBaseUrl,
    kommoAccountId: single.kommoAccountId,
    kommoAccessToken: single.kommoAccessToken,
    kommoWebhookSecret: single.kommoWebhookSecret,
    kommoClientId: single.kommoClientId,
    kommoClientSecret: single.kommoClientSecret,
    linearApiKey: single.linearApiKey,
    linearWebhookSecret: single.linearWebhookSecret,
    settings: editedInPage ? undefined : fromEnv,
  });
}
