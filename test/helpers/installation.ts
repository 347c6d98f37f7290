/** A domain installation for unit tests: an active OAuth account with Linear connected. */
import type { Installation } from '../../server/domain/installation';
import { parseSettings } from '../../server/domain/settings';

export function anInstallation(id: string, over: Partial<Installation> = {}): Installation {
  return {
    id,
    mode: 'oauth',
    status: 'active',
    kommoAccountId: 1,
    kommoSubdomain: 'acme',
    kommoBaseUrl: 'https://acme.kommo.com',
    kommoClientId: null,
    linearConnected: true,
    linearOAuth: null,
    linearWebhookConfigured: true,
    linearWebhookId: null,
    linearViewerId: null,
    settings: parseSettings({}),
    reconciledAt: null,
    wonPollCursor: null,
    kommoWebhookStatus: null,
    kommoAccess: null,
    disabled: null,
    ...over,
  };
}
