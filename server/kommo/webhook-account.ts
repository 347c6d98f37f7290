/**
 * Does a webhook delivery's account own the webhook URL it was posted to? The URL secret already
 * names the installation; this refuses a delivery about another account (a leaked URL, a copied
 * webhook). Current deliveries carry `account[id]`; older ones only `account[subdomain]` (and
 * sometimes `account[_links][self]`), so those are matched by subdomain and domain: the same
 * subdomain on kommo.com and on amocrm.ru are two different accounts.
 * See https://developers.kommo.com/docs/webhooks-general.
 */
import type { Installation } from '../domain/installation';
import type { KommoWebhookAccount } from './webhook';

/** The domains Kommo serves accounts on (amoCRM is Kommo's former name, still serving .ru and .com). */
export const KOMMO_DOMAINS = ['kommo.com', 'amocrm.com', 'amocrm.ru'] as const;

/** The installation's subdomain and domain, from what the account told us or from its address. */
function installationAccount(installation: Pick<Installation, 'kommoSubdomain' | 'kommoBaseUrl'>): { subdomain: string | undefined; domain: string | undefined } {
  let host = '';
  try {
    host = new URL(installation.kommoBaseUrl).hostname.toLowerCase();
  } catch {
    // An unparsable address leaves only the stored subdomain to compare.
  }
  const domain = KOMMO_DOMAINS.find((d) => host.endsWith(`.${d}`));
  const subdomain = installation.kommoSubdomain?.toLowerCase() ?? (domain ? host.slice(0, -domain.length - 1) : undefined);
  return { subdomain, domain };
}

/** Undefined when the delivery may be acted on; otherwise what does not match, for a 403. */
export function accountMismatch(installation: Pick<Installation, 'kommoAccountId' | 'kommoSubdomain' | 'kommoBaseUrl'>, account: KommoWebhookAccount): string | undefined {
  if (account.id !== undefined) {
    return installation.kommoAccountId !== null && account.id !== installation.kommoAccountId ? `Account ${account.id} does not own this webhook URL` : undefined;
  }
  const own = installationAccount(installation);
  // Not learned yet (first start before the account was read): the URL secret alone decides, as with an id.
  if (own.subdomain === undefined) return undefined;
  const named = account.domain ? `${account.subdomain ?? ''}.${account.domain}` : (account.subdomain ?? '');
  if (account.subdomain !== own.subdomain) return `Account ${named} does not own this webhook URL`;
  // A self-hosted or test address has no Kommo domain to compare; the subdomain matched.
  if (account.domain !== undefined && own.domain !== undefined && account.domain !== own.domain) return `Account ${named} does not own this webhook URL`;
  return undefined;
}
