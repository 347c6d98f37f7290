/** Minimal, valid Kommo records for pure unit tests; override what a test is about. */
import type { KommoAccount, KommoContact, KommoLead, KommoUser } from '../../../server/kommo/schemas';
import type { LinearState, LinearTeam, LinearUser } from '../../../server/linear/schemas';

export function lead(overrides: Partial<KommoLead> = {}): KommoLead {
  return {
    id: 4242,
    name: 'Website redesign',
    price: 1500,
    responsible_user_id: 11,
    status_id: 142,
    pipeline_id: 7788,
    updated_at: undefined,
    closed_at: undefined,
    is_deleted: undefined,
    custom_fields_values: [],
    _embedded: undefined,
    ...overrides,
  };
}

export function withTags(names: string[]): Pick<KommoLead, '_embedded'> {
  return { _embedded: { tags: names.map((name) => ({ name })), contacts: undefined } };
}

export function contact(overrides: Partial<KommoContact> = {}): KommoContact {
  return { id: 90, name: 'Maria Lopez', custom_fields_values: [], ...overrides };
}

export function emails(values: Array<{ value: string; enum_code?: string }>): KommoContact['custom_fields_values'] {
  return [{ field_id: 1, field_code: 'EMAIL', field_name: 'Email', values }];
}

export function user(overrides: Partial<KommoUser> = {}): KommoUser {
  return { id: 11, name: 'Anna Sales', email: 'anna@acme.com', ...overrides };
}

export function account(timezone: string | undefined = 'UTC', currency: string | undefined = 'USD'): KommoAccount {
  return { id: 1, name: 'Acme', subdomain: 'acme', currency, language: 'en', _embedded: { datetime_settings: { timezone } } };
}

export function team(key: string, name: string, id = `team-${key.toLowerCase()}`): LinearTeam {
  return { id, key, name };
}

export function state(name: string, type: string, position: number, id = `state-${name.toLowerCase()}`): LinearState {
  return { id, name, type, color: '#000000', position };
}

export function linearUser(id: string, email: string | null, active: boolean | null = true): LinearUser {
  return { id, name: id, email, active };
}
