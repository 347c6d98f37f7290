import { contactEmail, fieldValue, mainContactId, tagNames, toDueDate } from '../../../../../server/flows/won/deal-fields';
import type { KommoCustomField } from '../../../../../server/kommo/schemas';
import { contact, emails, lead, withTags } from '../../../support/kommo-records';

describe('fieldValue', () => {
  const fields: KommoCustomField[] = [
    { id: 501, name: 'Spec', type: 'textarea' },
    { id: 502, name: 'Deadline', type: 'date' },
  ];
  const l = lead({
    custom_fields_values: [
      { field_id: 502, values: [{ value: 1767225600 }] },
      { field_id: 501, values: [{ value: 'first' }, { value: 'second' }] },
      { field_id: 600, field_name: 'Budget code', values: [{ value: 'B-7' }] },
      { field_id: 601, values: [{ value: '' }] },
    ],
  });

  it('finds a field by name, case-insensitively, and returns its first value', () => {
    expect(fieldValue(l, fields, ' spec ')).toBe('first');
  });

  it('finds a field by id', () => {
    expect(fieldValue(l, fields, '502')).toBe(1767225600);
  });

  it('falls back to the field name and id carried on the value when the field list lacks it', () => {
    expect(fieldValue(l, fields, 'budget code')).toBe('B-7');
    expect(fieldValue(l, [], '600')).toBe('B-7');
  });

  it('returns undefined for an unset field, an empty string, or an unknown name', () => {
    expect(fieldValue(lead(), fields, 'Spec')).toBeUndefined();
    expect(fieldValue(l, [], '601')).toBeUndefined();
    expect(fieldValue(l, fields, 'Nope')).toBeUndefined();
  });
});

describe('contactEmail', () => {
  it('prefers the WORK email', () => {
    const c = contact({ custom_fields_values: emails([{ value: 'home@x.com', enum_code: 'PRIV' }, { value: ' work@x.com ', enum_code: 'WORK' }]) });
    expect(contactEmail(c)).toBe('work@x.com');
  });

  it('falls back to the first email', () => {
    expect(contactEmail(contact({ custom_fields_values: emails([{ value: 'a@x.com', enum_code: 'PRIV' }, { value: 'b@x.com' }]) }))).toBe('a@x.com');
  });

  it('returns undefined without an EMAIL field or with a blank value', () => {
    expect(contactEmail(contact())).toBeUndefined();
    expect(contactEmail(contact({ custom_fields_values: emails([{ value: '  ', enum_code: 'WORK' }]) }))).toBeUndefined();
    const phoneOnly = contact({ custom_fields_values: [{ field_id: 2, field_code: 'PHONE', values: [{ value: '+1 555' }] }] });
    expect(contactEmail(phoneOnly)).toBeUndefined();
  });
});

describe('mainContactId', () => {
  it('picks the contact flagged is_main, else the first, else undefined', () => {
    expect(mainContactId(lead({ _embedded: { contacts: [{ id: 1, is_main: false }, { id: 2, is_main: true }] } }))).toBe(2);
    expect(mainContactId(lead({ _embedded: { contacts: [{ id: 1 }, { id: 2 }] } }))).toBe(1);
    expect(mainContactId(lead({ _embedded: { contacts: [] } }))).toBeUndefined();
    expect(mainContactId(lead())).toBeUndefined();
  });
});

describe('tagNames', () => {
  it('lists the tag names in order', () => {
    expect(tagNames(lead(withTags(['b', 'a'])))).toEqual(['b', 'a']);
    expect(tagNames(lead())).toEqual([]);
  });
});

describe('toDueDate', () => {
  // 2026-03-10T02:30:00Z
  const seconds = Date.UTC(2026, 2, 10, 2, 30) / 1000;

  it('reads unix seconds as a number or a numeric string', () => {
    expect(toDueDate(seconds, 'UTC')).toBe('2026-03-10');
    expect(toDueDate(String(seconds), 'UTC')).toBe('2026-03-10');
  });

  it('reads an ISO string', () => {
    expect(toDueDate('2026-03-10T02:30:00Z', 'UTC')).toBe('2026-03-10');
    expect(toDueDate('2026-03-10T02:30:00+05:00', 'UTC')).toBe('2026-03-09');
  });

  it('gives the date in the timezone, which can be the previous day', () => {
    expect(toDueDate(seconds, 'America/New_York')).toBe('2026-03-09');
    expect(toDueDate(seconds, 'Asia/Tokyo')).toBe('2026-03-10');
  });

  it('uses UTC without a timezone and when the timezone is unknown', () => {
    expect(toDueDate(seconds, undefined)).toBe('2026-03-10');
    expect(toDueDate(seconds, 'Mars/Olympus')).toBe('2026-03-10');
  });

  it.each([undefined, null, '', 'soon', '12abc', {}, [], Number.NaN, true])('returns undefined for %p', (value) => {
    expect(toDueDate(value, 'UTC')).toBeUndefined();
  });
});
