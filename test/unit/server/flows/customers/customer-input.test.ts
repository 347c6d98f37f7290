import { companyDomain, needBody, tierFor, uniqueDomains, wonRevenue } from '../../../../../server/flows/customers/customer-input';
import type { KommoLead } from '../../../../../server/flows/ports';

const lead = (over: Partial<KommoLead> = {}): KommoLead => ({
  id: 1,
  name: 'Deal',
  price: 0,
  status_id: 142,
  pipeline_id: 10,
  custom_fields_values: [],
  _embedded: { tags: [] },
  ...over,
});

describe('customer input', () => {
  it('keeps company domains and drops public mail providers and malformed addresses', () => {
    expect(companyDomain('Jane@Acme.IO')).toBe('acme.io');
    expect(companyDomain('jane@gmail.com')).toBeUndefined();
    expect(companyDomain('not-an-email')).toBeUndefined();
    expect(uniqueDomains(['a@acme.io', 'b@acme.io', 'c@yandex.ru', 'd@globex.com'])).toEqual(['acme.io', 'globex.com']);
  });

  it('sums won deals only, rounded to whole units', () => {
    expect(wonRevenue([lead({ price: 1000.4 }), lead({ price: 2000.3 }), lead({ price: 500, status_id: 143 }), lead({ price: 9, status_id: 5 })], 142)).toBe(3001);
  });

  it("caps the revenue at GraphQL's largest Int, which a sum in rupiah easily passes", () => {
    expect(wonRevenue([lead({ price: 1_500_000_000 }), lead({ price: 1_500_000_000 })], 142)).toBe(2_147_483_647);
  });

  it('takes the first paragraph of the spec as the request body', () => {
    expect(needBody('First part.\nstill first.\n\nSecond.', 'Deal')).toBe('First part.\nstill first.');
    expect(needBody(undefined, 'ACME onboarding')).toBe('Kommo deal "ACME onboarding"');
  });

  it('picks the tier from the first matching tag, else from the field', () => {
    const rule = { tags: [{ tag: 'VIP', tier: 'Enterprise' }], field: 'Segment' };
    const segment = [{ field_id: 5, field_name: 'Segment', values: [{ value: 'Mid-market' }] }];
    expect(tierFor(lead({ _embedded: { tags: [{ name: 'vip' }] }, custom_fields_values: segment }), [], rule)).toBe('Enterprise');
    expect(tierFor(lead({ custom_fields_values: segment }), [], rule)).toBe('Mid-market');
    expect(tierFor(lead(), [], undefined)).toBeUndefined();
  });
});
