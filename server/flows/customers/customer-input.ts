/**
 * What a deal tells about its Linear customer: the key (the Kommo company, else the main contact's
 * email domain), the domains, the tier from the settings' rule, and the request's body.
 */
import type { CustomerSettings } from '../../domain/settings';
import { fieldText, fieldValue, tagNames } from '../won/deal-fields';
import type { KommoCompany, KommoCustomField, KommoLead } from '../ports';

/** Linear refuses public mail providers as customer domains; they say nothing about the company. */
const PUBLIC_MAIL = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'icloud.com', 'me.com',
  'aol.com', 'mail.ru', 'yandex.ru', 'ya.ru', 'bk.ru', 'inbox.ru', 'list.ru', 'gmx.de', 'gmx.net', 'web.de', 'proton.me',
  'protonmail.com', 'zoho.com', 'uol.com.br', 'bol.com.br', 'terra.com.br', 'hotmail.es', 'yahoo.es',
]);

export function companyDomain(email: string): string | undefined {
  const domain = email.trim().toLowerCase().split('@')[1]?.replace(/\.$/, '');
  if (!domain || !/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain) || PUBLIC_MAIL.has(domain)) return undefined;
  return domain;
}

export const companyExternalId = (companyId: number) => `kommo-company:${companyId}`;
export const domainExternalId = (domain: string) => `kommo-domain:${domain}`;

/** The deal's company id (Kommo embeds at most one company per lead). */
export function companyIdOf(lead: KommoLead): number | undefined {
  return lead._embedded?.companies?.[0]?.id;
}

/** Emails among the company's own fields (code EMAIL), beside the contacts' ones. */
export function companyEmails(company: KommoCompany): string[] {
  return company.custom_fields_values
    .filter((f) => f.field_code === 'EMAIL')
    .flatMap((f) => f.values.map((v) => fieldText(v.value)))
    .filter((v): v is string => v !== undefined);
}

export function uniqueDomains(emails: string[]): string[] {
  return [...new Set(emails.map(companyDomain).filter((d): d is string => d !== undefined))];
}

/** A tag rule wins over the field: the first listed tag the deal has, else the field's value. */
export function tierFor(lead: KommoLead, fields: KommoCustomField[], rule: CustomerSettings['tierRule']): string | undefined {
  if (!rule) return undefined;
  const tags = new Set(tagNames(lead).map((t) => t.toLowerCase()));
  const byTag = rule.tags.find((t) => tags.has(t.tag.toLowerCase()));
  if (byTag) return byTag.tier;
  return rule.field ? fieldText(fieldValue(lead, fields, rule.field))?.slice(0, 80) : undefined;
}

/** The spec's first paragraph (up to the first blank line), or a pointer to the deal. */
export function needBody(spec: string | undefined, dealName: string): string {
  const first = spec?.trim().split(/\n\s*\n/)[0]?.trim();
  return first ? first.slice(0, 2000) : `Kommo deal "${dealName}"`;
}

/** GraphQL's Int is 32-bit: a larger sum (easy in IDR or COP) would make Linear refuse the whole upsert. */
const MAX_INT = 2_147_483_647;

/** Linear's revenue is an Int: won deals summed, rounded to whole units, capped at the largest Int. */
export function wonRevenue(leads: KommoLead[], wonStatusId: number): number {
  return Math.min(MAX_INT, Math.round(leads.filter((l) => l.status_id === wonStatusId && !l.is_deleted).reduce((sum, l) => sum + l.price, 0)));
}
