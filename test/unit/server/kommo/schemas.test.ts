/** The response schemas read every documented Kommo variant, and name the path of what they cannot read. */
import { ContactSchema, CreatedCustomFieldSchema, LeadSchema, describeParseError } from '../../../../server/kommo/schemas';
import { contactEmail, fieldText, mainContactId, toDueDate } from '../../../../server/flows/won/deal-fields';
import { kommoApiFixture } from '../../../fixtures/kommo/api/load';

describe('Kommo response schemas', () => {
  it('reads a lead without _embedded, price or custom fields', () => {
    const lead = LeadSchema.parse(kommoApiFixture('lead-no-embedded'));
    expect(lead).toMatchObject({ id: 3912001, price: 0, custom_fields_values: [], status_id: 142 });
    expect(lead._embedded).toBeUndefined();
    expect(mainContactId(lead)).toBeUndefined();
  });

  it('reads PHP empty arrays as empty objects and a closed_at string as seconds', () => {
    const lead = LeadSchema.parse(kommoApiFixture('lead-php-empty'));
    expect(lead._embedded).toBeUndefined();
    expect(lead.custom_fields_values).toEqual([]);
    expect(lead.closed_at).toBe(1764676800);
  });

  it('reads enum values, digit-string dates, several contacts and tags without colour', () => {
    const lead = LeadSchema.parse(kommoApiFixture('lead-field-variants'));
    const [spec, deadline, channels] = lead.custom_fields_values;
    expect(spec?.values[0]).toEqual({ value: 'Premium plan: SSO and audit log', enum_id: 612901, enum_code: null });
    expect(toDueDate(deadline?.values[0]?.value, 'America/New_York')).toBe('2026-01-01');
    expect(channels?.values.map((v) => v.value)).toEqual(['Email', 'Phone']);
    expect(mainContactId(lead)).toBe(2201002);
    expect(lead._embedded?.tags).toEqual([{ id: 40211, name: 'Enterprise' }]);
  });

  it('reads numeric field values and ISO date-times', () => {
    const lead = LeadSchema.parse(kommoApiFixture('lead-iso-deadline'));
    expect(fieldText(lead.custom_fields_values[0]?.values[0]?.value)).toBe('42');
    expect(toDueDate(lead.custom_fields_values[1]?.values[0]?.value, 'UTC')).toBe('2026-03-01');
  });

  it('picks the work email among several, and none from a contact without fields', () => {
    expect(contactEmail(ContactSchema.parse(kommoApiFixture('contact-several-emails')))).toBe('ana@buyer.example');
    const bare = ContactSchema.parse(kommoApiFixture('contact-no-emails'));
    expect(bare).toEqual({ id: 2201003, name: '', custom_fields_values: [] });
    expect(contactEmail(bare)).toBeUndefined();
  });

  it('reads a created custom field both wrapped in _embedded and bare', () => {
    const wrapped = CreatedCustomFieldSchema.parse(kommoApiFixture('custom-field-created-embedded'));
    const bare = CreatedCustomFieldSchema.parse(kommoApiFixture('custom-field-created-bare'));
    expect('_embedded' in wrapped ? wrapped._embedded.custom_fields[0] : wrapped).toEqual({ id: 1183321, name: 'Linear issue', code: null, type: 'text' });
    expect(bare).toEqual({ id: 1183321, name: 'Linear issue', code: null, type: 'text' });
  });

  it('names the path that failed', () => {
    const lead = LeadSchema.safeParse(kommoApiFixture('lead-unreadable'));
    expect(lead.success).toBe(false);
    if (!lead.success) expect(describeParseError(lead.error)).toMatch(/^at status_id: /);
    const field = CreatedCustomFieldSchema.safeParse({ _embedded: { custom_fields: [{ id: 'x', name: 'Linear issue', type: 'text' }] } });
    expect(field.success).toBe(false);
    if (!field.success) expect(describeParseError(field.error)).toMatch(/^at _embedded\.custom_fields\.0\.id: /);
    const value = LeadSchema.safeParse({ id: 1, status_id: 142, pipeline_id: 2, custom_fields_values: [{ field_id: 5, values: 'x' }] });
    expect(value.success).toBe(false);
    if (!value.success) expect(describeParseError(value.error)).toMatch(/^at custom_fields_values\.0\.values: /);
  });
});
