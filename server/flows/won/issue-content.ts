/**
 * What the Linear issue says: title, Markdown description, priority and due date, from the
 * Kommo deal and the installation's settings. Pure: no I/O.
 */
import type { Language } from '../../../shared/kommo';
import type { InstallationSettings } from '../../domain/settings';
import { contactEmail, fieldText, fieldValue, tagNames, toDueDate } from './deal-fields';
import type { KommoAccount, KommoContact, KommoCustomField, KommoLead, KommoUser } from './deps';

export interface DealFacts {
  lead: KommoLead;
  contact: KommoContact | undefined;
  manager: KommoUser | undefined;
  account: KommoAccount;
  pipelineName: string | undefined;
  fields: KommoCustomField[];
  dealUrl: string;
}

export interface IssueContent {
  title: string;
  description: string;
  priority: number;
  dueDate: string | undefined;
}

const LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-ES', pt: 'pt-BR', ru: 'ru-RU', tr: 'tr-TR', id: 'id-ID' };

export function formatAmount(price: number, currency: string | null | undefined, language: Language): string {
  const code = (currency ?? '').trim().toUpperCase();
  try {
    if (code) return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency: code }).format(price);
  } catch {
    // Not an ISO 4217 code: fall through to the plain form.
  }
  return `${new Intl.NumberFormat(LOCALES[language]).format(price)}${code ? ` ${code}` : ''}`;
}

/** Escapes what Markdown would otherwise treat as formatting in names coming from the CRM. */
export function md(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

/** The most urgent priority among matching tag rules; undefined when no tag rule matches. */
export function tagPriority(lead: KommoLead, settings: InstallationSettings): number | undefined {
  const tags = new Set(tagNames(lead).map((t) => t.trim().toLowerCase()));
  const matched = settings.priorityTags.filter((r) => tags.has(r.tag.trim().toLowerCase())).map((r) => r.priority);
  const urgent = matched.filter((p) => p > 0);
  if (urgent.length > 0) return Math.min(...urgent);
  return matched.length > 0 ? 0 : undefined;
}

/** The most urgent priority among matching tag rules, else the default. */
export function priorityFor(lead: KommoLead, settings: InstallationSettings): number {
  return tagPriority(lead, settings) ?? settings.defaultPriority;
}

export function buildIssueContent(facts: DealFacts, settings: InstallationSettings, language: Language): IssueContent {
  const { lead, contact, manager, account } = facts;
  const specText = fieldText(fieldValue(lead, facts.fields, settings.fields.spec));
  const email = contact ? contactEmail(contact) : undefined;
  const details = [
    `- **Amount:** ${md(formatAmount(lead.price, account.currency, language))}`,
    contact ? `- **Contact:** ${md(contact.name || '(no name)')}${email ? ` · ${md(email)}` : ''}` : '- **Contact:** none',
    manager ? `- **Manager:** ${md(manager.name)}${manager.email ? ` · ${md(manager.email)}` : ''}` : '- **Manager:** not set',
    facts.pipelineName ? `- **Pipeline:** ${md(facts.pipelineName)}` : undefined,
    `- **Deal:** [Kommo deal #${lead.id}](${facts.dealUrl})`,
    `- **Kommo deal id:** ${lead.id}`,
  ].filter((line): line is string => line !== undefined);
  const body = specText ?? `_No spec: the deal's "${md(settings.fields.spec)}" field is empty._`;
  return {
    title: lead.name.trim() || `Kommo deal #${lead.id}`,
    description: `${body}\n\n---\n\n### Deal details\n${details.join('\n')}\n`,
    priority: priorityFor(lead, settings),
    dueDate: toDueDate(fieldValue(lead, facts.fields, settings.fields.deadline), account._embedded?.datetime_settings?.timezone ?? undefined),
  };
}
