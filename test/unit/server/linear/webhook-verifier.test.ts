import { createHmac } from 'node:crypto';
import { AppError } from '../../../../server/errors';
import { createLinearWebhookVerifier, type LinearSecretSource } from '../../../../server/linear/webhook';
import { anInstallation } from '../../../helpers/installation';

const body = (timestamp = Date.now()) => Buffer.from(JSON.stringify({ action: 'update', type: 'Comment', webhookTimestamp: timestamp, data: {} }));
const sign = (raw: Buffer, secret: string) => createHmac('sha256', secret).update(raw).digest('hex');

/** A store whose cached secret is `cached` and whose database holds `stored`. */
function source(cached: string, stored: string | null): LinearSecretSource & { freshReads: number } {
  let fresh = false;
  const s = {
    freshReads: 0,
    forLinear: async (_id: string | undefined, options: { fresh?: boolean } = {}) => {
      if (options.fresh) {
        fresh = true;
        s.freshReads++;
      }
      return anInstallation(fresh ? 'stored' : 'cached');
    },
    webhookSecretOf: async () => (fresh ? stored : cached),
  };
  return s;
}

describe('the Linear webhook verifier', () => {
  it('verifies with the cached secret without reading the database again', async () => {
    const src = source('s1', 's1');
    const raw = body();
    const result = await createLinearWebhookVerifier(src)(undefined, anInstallation('cached'), raw, { signature: sign(raw, 's1'), timestamp: undefined });
    expect(result.delivery).toEqual({ kind: 'other', type: 'Comment', action: 'update' });
    expect(src.freshReads).toBe(0);
  });

  it('after a rotation, accepts the stored secret and answers with the installation as stored', async () => {
    const src = source('old', 'new');
    const raw = body();
    const result = await createLinearWebhookVerifier(src)('id', anInstallation('cached'), raw, { signature: sign(raw, 'new'), timestamp: undefined });
    expect(result.installation.id).toBe('stored');
    expect(src.freshReads).toBe(1);
  });

  it('refuses a wrong signature when the stored secret is the same or gone', async () => {
    const raw = body();
    for (const stored of ['s1', null]) {
      const error = await createLinearWebhookVerifier(source('s1', stored))('id', anInstallation('cached'), raw, { signature: sign(raw, 'other'), timestamp: undefined }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('unauthorized');
    }
  });

  it('does not re-read the database for a stale delivery signed with the right secret', async () => {
    const src = source('s1', 's2');
    const raw = body(Date.now() - 10 * 60_000);
    const error = await createLinearWebhookVerifier(src)('id', anInstallation('cached'), raw, { signature: sign(raw, 's1'), timestamp: undefined }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('bad_request');
    expect(src.freshReads).toBe(0);
  });
});
