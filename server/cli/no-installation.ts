/** What the support CLI says when the database holds no installation: exactly what to set or do. */
import type { Config } from '../config';

export function noInstallationMessage(config: Pick<Config, 'singleAccount' | 'kommoOAuth'>, where: string): string[] {
  if (config.singleAccount) {
    return [
      `No installation in ${where} yet, although single-account mode is configured.`,
      'Start the server once (npm start) with the same DATA_DIR or DATABASE_URL: it records the installation at start.',
    ];
  }
  return [
    `No installation in ${where}: no Kommo account is connected.`,
    'For one Kommo account set KOMMO_BASE_URL, KOMMO_ACCESS_TOKEN, KOMMO_WEBHOOK_SECRET and LINEAR_API_KEY',
    '(in the environment or in .env), then start the server once (npm start).',
    config.kommoOAuth
      ? 'Marketplace installs are on (KOMMO_CLIENT_ID, KOMMO_CLIENT_SECRET): install the widget in a Kommo account.'
      : 'For many accounts (the marketplace) set KOMMO_CLIENT_ID and KOMMO_CLIENT_SECRET and install the widget in a Kommo account.',
    'Other DATA_DIR or DATABASE_URL? Pass the ones the server uses.',
  ];
}
