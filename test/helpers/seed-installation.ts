/**
 * Inserts a marketplace-style installation for a fake Kommo account straight into the database
 * (benchmarks and reliability tests with many accounts). Returns its webhook URL secret.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createSecretBox, hashSecret } from '../../server/crypto/secret-box';
import type { FakeKommo } from '../fakes/kommo';

export async function seedOAuthInstallation(db: Knex, encryptionKey: string, kommo: FakeKommo, linearApiKey: string): Promise<string> {
  const box = createSecretBox(encryptionKey);
  const secret = randomBytes(18).toString('hex');
  await db('installations').insert({
    id: randomUUID(),
    mode: 'oauth',
    status: 'active',
    kommo_account_id: kommo.account.accountId,
    kommo_subdomain: kommo.account.subdomain,
    kommo_base_url: kommo.baseUrl,
    kommo_access_token_enc: box.encrypt(kommo.accessToken),
    // Marketplace rows carry a refresh token and an expiry; a day ahead means no refresh.
    kommo_refresh_token_enc: box.encrypt(`refresh_${kommo.accessToken}`),
    kommo_token_expires_at: new Date(Date.now() + 86_400_000),
    kommo_webhook_secret_hash: hashSecret(secret),
    linear_api_key_enc: box.encrypt(linearApiKey),
    settings: JSON.stringify({ team: 'ENG' }),
  });
  return secret;
}
