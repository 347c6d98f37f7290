import { buildIssueContent, formatAmount, md, priorityFor, type DealFacts } from '../../../../../server/flows/won/issue-content';
import { parseSettings } from '../../../../../server/domain/settings';
import type { KommoCustomField } from '../../../../../server/kommo/schemas';
import { account, contact, emails, lead, user, withTags } from '../../../support/kommo-records';

/** Intl uses no-break spaces (U+00A0, U+202F); compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatAmount', () => {
  it('formats USD in English', () => {
    expect(formatAmount(1500, 'USD', 'en')).toBe('$1,500.00');
  });

  it.each([
    ['es', '1.234.567,50 €'],
    ['pt', '€ 1.234.567,50'],
    ['ru', '1 234 567,50 €'],
  ] as const)('formats EUR in %s', (language, expected) => {
    expect(plain(formatAmount(1234567.5, 'EUR', language))).toBe(expected);
  });

  it('accepts a lower-case, padded currency code', () => {
    expect(formatAmount(10, ' usd ', 'en')).toBe('$10.00');
  });

  it('falls back to a plain number and the code when the code is not ISO 4217', () => {
    expect(formatAmount(1234.5, 'US$', 'en')).toBe('1,234.5 US$');
  });

  it.each([null, undefined, ''])('prints a bare number without a currency (%p)', (currency) => {
    expect(plain(formatAmount(1234.5, currency, 'ru'))).toBe('1 234,5');
  });
});

describe('md', () => {
  it('escapes every Markdown formatting character it knows', () => {
    expect(md('a*b_c`d[e]f<g>h#i|j\\k')).toBe('a\\*b\\_c\\`d\\[e\\]f\\<g\\>h\\#i\\|j\\\\k');
  });

  it('leaves ordinary text alone', () => {
    expect(md('Maria López, ООО "Ромашка" 1.5')).toBe('Maria López, ООО "Ромашка" 1.5');
  });
});

describe('priorityFor', () => {
  const settings = parseSettings({
    defaultPriority: 3,
    priorityTags: [
      { tag: 'Enterprise', priority: 2 },
      { tag: 'Urgent', priority: 1 },
      { tag: 'Someday', priority: 0 },
      { tag: 'Small', priority: 4 },
    ],
  });

  it('returns the default when no tag matches', () => {
    expect(priorityFor(lead(withTags(['other'])), settings)).toBe(3);
    expect(priorityFor(lead(), settings)).toBe(3);
  });

  it('picks the most urgent of several matches', () => {
    expect(priorityFor(lead(withTags(['Small', 'Urgent', 'Enterprise'])), settings)).toBe(1);
    expect(priorityFor(lead(withTags(['Small', 'Enterprise'])), settings)).toBe(2);
  });

  it('matches tags case-insensitively and ignores surrounding spaces', () => {
    expect(priorityFor(lead(withTags(['  uRGENT '])), settings)).toBe(1);
  });

  it("maps a tag to 0 ('no priority') when nothing more urgent matches", () => {
    expect(priorityFor(lead(withTags(['someday'])), settings)).toBe(0);
    expect(priorityFor(lead(withTags(['someday', 'small'])), settings)).toBe(4);
  });
});

describe('buildIssueContent', () => {
  const fields: KommoCustomField[] = [
    { id: 501, name: 'Spec', type: 'textarea' },
    { id: 502, name: 'Deadline', type: 'date_time' },
  ];
  const settings = parseSettings({});

  function facts(overrides: Partial<DealFacts> = {}): DealFacts {
    return {
      lead: lead(),
      contact: contact({ custom_fields_values: emails([{ value: 'maria@client.com', enum_code: 'WORK' }]) }),
      manager: user(),
      account: account('UTC', 'USD'),
      pipelineName: 'Sales',
      fields,
      dealUrl: 'https://acme.kommo.com/leads/detail/4242',
      ...overrides,
    };
  }

  it('writes the spec first, then the deal details', () => {
    const content = buildIssueContent(
      facts({ lead: lead({ custom_fields_values: [{ field_id: 501, values: [{ value: '  ## Scope\n- pages  ' }] }] }) }),
      settings,
      'en',
    );
    expect(content.title).toBe('Website redesign');
    expect(content.description).toBe(
      [
        '## Scope\n- pages',
        '',
        '---',
        '',
        '### Deal details',
        '- **Amount:** $1,500.00',
        '- **Contact:** Maria Lopez · maria@client.com',
        '- **Manager:** Anna Sales · anna@acme.com',
        '- **Pipeline:** Sales',
        '- **Deal:** [Kommo deal #4242](https://acme.kommo.com/leads/detail/4242)',
        '- **Kommo deal id:** 4242',
        '',
      ].join('\n'),
    );
    expect(content.priority).toBe(2);
    expect(content.dueDate).toBeUndefined();
  });

  it('says the spec field is empty when it is absent or blank', () => {
    const blank = lead({ custom_fields_values: [{ field_id: 501, values: [{ value: '   ' }] }] });
    for (const l of [lead(), blank]) {
      expect(buildIssueContent(facts({ lead: l }), settings, 'en').description).toMatch(/^_No spec: the deal's "Spec" field is empty\._\n/);
    }
  });

  it('falls back to "Kommo deal #id" when the name is empty or blank', () => {
    expect(buildIssueContent(facts({ lead: lead({ name: '' }) }), settings, 'en').title).toBe('Kommo deal #4242');
    expect(buildIssueContent(facts({ lead: lead({ name: '   ' }) }), settings, 'en').title).toBe('Kommo deal #4242');
  });

  it('prints a contact without email, a missing contact and a missing manager', () => {
    const noEmail = buildIssueContent(facts({ contact: contact({ name: 'Bob_Smith' }) }), settings, 'en').description;
    expect(noEmail).toContain('- **Contact:** Bob\\_Smith\n');
    const none = buildIssueContent(facts({ contact: undefined, manager: undefined, pipelineName: undefined }), settings, 'en').description;
    expect(none).toContain('- **Contact:** none\n');
    expect(none).toContain('- **Manager:** not set\n');
    expect(none).not.toContain('Pipeline');
  });

  it('escapes Markdown in names from the CRM', () => {
    const description = buildIssueContent(facts({ manager: user({ name: '*Boss*', email: null }) }), settings, 'en').description;
    expect(description).toContain('- **Manager:** \\*Boss\\*\n');
  });

  it('gives the due date in the account timezone', () => {
    // 02:30 UTC on 10 March is still 9 March in New York.
    const atNight = Date.UTC(2026, 2, 10, 2, 30) / 1000;
    const withDeadline = lead({ custom_fields_values: [{ field_id: 502, values: [{ value: atNight }] }] });
    expect(buildIssueContent(facts({ lead: withDeadline, account: account('America/New_York') }), settings, 'en').dueDate).toBe('2026-03-09');
    expect(buildIssueContent(facts({ lead: withDeadline, account: account('UTC') }), settings, 'en').dueDate).toBe('2026-03-10');
    expect(buildIssueContent(facts({ lead: withDeadline, account: account(undefined) }), settings, 'en').dueDate).toBe('2026-03-10');
  });

  it('uses the field names of the settings and the priority tags', () => {
    const custom = parseSettings({ fields: { spec: 'Brief' }, priorityTags: [{ tag: 'vip', priority: 1 }] });
    const l = lead({
      ...withTags(['VIP']),
      custom_fields_values: [
        { field_id: 501, values: [{ value: 'not this' }] },
        { field_id: 777, field_name: 'Brief', values: [{ value: 'the brief' }] },
      ],
    });
    const content = buildIssueContent(facts({ lead: l, fields: [...fields, { id: 777, name: 'Brief', type: 'text' }] }), custom, 'en');
    expect(content.description.startsWith('the brief\n')).toBe(true);
    expect(content.priority).toBe(1);
  });

  it('formats the amount in the language given', () => {
    const description = buildIssueContent(facts({ lead: lead({ price: 1234567.5 }), account: account('UTC', 'EUR') }), settings, 'es').description;
    expect(plain(description)).toContain('- **Amount:** 1.234.567,50 €\n');
  });
});
