import { accountMismatch } from '../../../../server/kommo/webhook-account';

const installation = (kommoBaseUrl: string, kommoAccountId: number | null = 29999999, kommoSubdomain: string | null = 'acme') => ({ kommoBaseUrl, kommoAccountId, kommoSubdomain });
const account = (id: number | undefined, subdomain?: string, domain?: string) => ({ id, subdomain, domain });

describe('accountMismatch', () => {
  it('matches by account id when the delivery has one', () => {
    expect(accountMismatch(installation('https://acme.kommo.com'), account(29999999, 'other'))).toBeUndefined();
    expect(accountMismatch(installation('https://acme.kommo.com'), account(123, 'acme'))).toBe('Account 123 does not own this webhook URL');
    expect(accountMismatch(installation('https://acme.kommo.com', null), account(123))).toBeUndefined();
  });

  it('matches a subdomain-only delivery by subdomain and domain', () => {
    expect(accountMismatch(installation('https://acme.kommo.com'), account(undefined, 'acme'))).toBeUndefined();
    expect(accountMismatch(installation('https://acme.kommo.com'), account(undefined, 'acme', 'kommo.com'))).toBeUndefined();
    expect(accountMismatch(installation('https://acme.amocrm.ru', 1, null), account(undefined, 'acme', 'amocrm.ru'))).toBeUndefined();
    expect(accountMismatch(installation('https://acme.kommo.com'), account(undefined, 'evil'))).toBe('Account evil does not own this webhook URL');
    expect(accountMismatch(installation('https://acme.kommo.com'), account(undefined, 'acme', 'amocrm.ru'))).toBe('Account acme.amocrm.ru does not own this webhook URL');
  });

  it('compares only the subdomain when the installation has no Kommo domain (a self-hosted or test address)', () => {
    expect(accountMismatch(installation('http://127.0.0.1:9000'), account(undefined, 'acme', 'kommo.com'))).toBeUndefined();
    expect(accountMismatch(installation('http://127.0.0.1:9000'), account(undefined, 'other'))).toBeDefined();
  });
});
