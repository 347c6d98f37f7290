import { AppError } from '../../../../server/errors';
import { MAX_LEADS_PER_DELIVERY, parseKommoWebhook } from '../../../../server/kommo/webhook';
import { kommoAddWebhook, kommoNoteWebhook, kommoStatusWebhook, kommoUpdateWebhook } from '../../../fixtures/kommo-webhook';

const ACCOUNT = { accountId: 29999999, subdomain: 'acme' };
const body = (text: string) => Buffer.from(text, 'utf8');
const status = (leadId: number, statusId: number | undefined, pipelineId?: number) => ({ kind: 'status', leadId, statusId, pipelineId });

function rejection(input: Buffer): AppError {
  try {
    parseKommoWebhook(input);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('parseKommoWebhook', () => {
  const leads = { leads: [{ id: 101, statusId: 142, pipelineId: 7788, oldStatusId: 55 }, { id: 102, statusId: 143, pipelineId: 7788, oldStatusId: 55 }] };

  it.each([true, false])('parses status events with encodeBrackets=%p', (encodeBrackets) => {
    const text = kommoStatusWebhook({ ...ACCOUNT, ...leads }, { encodeBrackets });
    expect(text.includes('[')).toBe(!encodeBrackets);
    expect(parseKommoWebhook(body(text))).toEqual({
      account: { id: 29999999, subdomain: 'acme', domain: 'kommo.com' },
      events: [status(101, 142, 7788), status(102, 143, 7788)],
      otherEvents: 0,
      malformed: [],
      overCap: 0,
      duplicates: 0,
      notes: [],
    });
  });

  it('reads text notes on deals (leads[note]), in both nestings, and skips other note kinds', () => {
    const text = kommoNoteWebhook({ ...ACCOUNT, notes: [{ id: 5, leadId: 101, text: '#linear hi', createdBy: 7 }, { id: 6, leadId: 101, text: 'call', createdBy: 7, noteType: 10 }] });
    const flat = 'leads[note][0][id]=8&leads[note][0][element_id]=102&leads[note][0][element_type]=2&leads[note][0][note_type]=4&leads[note][0][text]=x&account[id]=29999999';
    expect(parseKommoWebhook(body(text)).notes).toEqual([{ noteId: 5, leadId: 101, text: '#linear hi', createdBy: 7 }]);
    expect(parseKommoWebhook(body(flat)).notes).toEqual([{ noteId: 8, leadId: 102, text: 'x', createdBy: undefined }]);
  });

  it('parses add and update events with tags and custom fields', () => {
    const snapshot = {
      id: 7,
      name: 'New & shiny [deal]',
      statusId: 142,
      pipelineId: 1,
      responsibleUserId: 3,
      tags: [{ id: 1, name: 'vip' }],
      customFields: [{ id: 9, name: 'Spec', values: ['a=b&c'] }],
    };
    expect(parseKommoWebhook(body(kommoAddWebhook({ ...ACCOUNT, leads: [snapshot] }))).events).toEqual([{ kind: 'add', leadId: 7, statusId: 142, pipelineId: 1 }]);
    expect(parseKommoWebhook(body(kommoUpdateWebhook({ ...ACCOUNT, leads: [snapshot] }, { encodeBrackets: false }))).events).toEqual([
      { kind: 'update', leadId: 7, statusId: 142, pipelineId: 1 },
    ]);
  });

  it('reads 0, empty and absent optional numbers as "not given"', () => {
    const text = 'account[id]=5&leads[status][0][id]=1&leads[status][0][status_id]=142&leads[status][0][old_status_id]=0&leads[status][0][pipeline_id]=&leads[add][0][id]=2&leads[add][0][status_id]=142&leads[add][0][created_user_id]=0';
    const parsed = parseKommoWebhook(body(text));
    expect(parsed.events).toEqual([status(1, 142, undefined), { kind: 'add', leadId: 2, statusId: 142, pipelineId: undefined }]);
    expect(parsed.malformed).toEqual([]);
  });

  it('accepts a delivery that names the account only by subdomain, with its domain from _links', () => {
    const parsed = parseKommoWebhook(body('account[subdomain]=Acme&account[_links][self]=https://acme.amocrm.ru&leads[status][0][id]=1&leads[status][0][status_id]=142'));
    expect(parsed.account).toEqual({ id: undefined, subdomain: 'acme', domain: 'amocrm.ru' });
  });

  it('skips a malformed event and keeps the good ones next to it', () => {
    const text = 'account[id]=5&leads[status][0][id]=12x&leads[status][0][status_id]=142&leads[status][1][id]=3&leads[status][1][status_id]=142&leads[add][0][id]=4';
    const parsed = parseKommoWebhook(body(text));
    expect(parsed.events).toEqual([status(3, 142)]);
    expect(parsed.malformed).toEqual([
      { at: 'leads[status][0]', reason: '[id] is missing or not a positive integer' },
      { at: 'leads[add][0]', reason: '[status_id] is missing or not a positive integer' },
    ]);
  });

  it('counts contacts, notes, messages and unknown sections as content it does not act on', () => {
    const text = 'account[id]=5&contacts[add][0][id]=8&contacts[update][0][id]=9&leads[note][0][note][text]=hi&message[add][0][id]=m1&talk[update][0][talk_id]=3&brand_new[thing][0][id]=1';
    const parsed = parseKommoWebhook(body(text));
    expect(parsed.events).toEqual([]);
    expect(parsed.otherEvents).toBe(6);
  });

  it('reads delete events, which never mean "won"', () => {
    expect(parseKommoWebhook(body('account[id]=5&leads[delete][0][id]=9&leads[delete][0][status_id]=142')).events).toEqual([{ kind: 'delete', leadId: 9, statusId: 142, pipelineId: undefined }]);
  });

  it('accepts sparse and large indices (qs turns them into an object)', () => {
    const text = 'account[id]=5&leads[status][600][id]=1&leads[status][600][status_id]=142&leads[status][3][id]=2&leads[status][3][status_id]=7';
    expect(parseKommoWebhook(body(text)).events).toEqual(expect.arrayContaining([status(1, 142), status(2, 7)]));
  });

  it('names the index of a malformed event in a sparse (object-form) list', () => {
    const parsed = parseKommoWebhook(body('account[id]=5&leads[status][700][id]=12x&leads[status][701][id]=1&leads[status][701][status_id]=142'));
    expect(parsed.malformed.map((m) => m.at)).toEqual(['leads[status][700]']);
  });

  it('dedupes a lead repeated within a delivery and caps the leads read', () => {
    const repeated = Array.from({ length: 300 }, (_, i) => `leads[status][${i}][id]=1&leads[status][${i}][status_id]=142`).join('&');
    const many = Array.from({ length: MAX_LEADS_PER_DELIVERY + 20 }, (_, i) => `leads[add][${i}][id]=${1000 + i}&leads[add][${i}][status_id]=142`).join('&');
    const parsed = parseKommoWebhook(body(`account[id]=5&${repeated}&${many}`));
    expect(parsed.duplicates).toBe(299);
    expect(parsed.events).toHaveLength(MAX_LEADS_PER_DELIVERY);
    expect(parsed.events[0]).toEqual(status(1, 142));
    expect(parsed.overCap).toBe(21);
  });

  it('refuses a delivery without the account, naming the field', () => {
    const error = rejection(body('leads[status][0][id]=1&leads[status][0][status_id]=142'));
    expect(error.code).toBe('bad_request');
    expect(error.field).toBe('account');
    expect(error.message).toBe('Not a Kommo webhook: account[id] or account[subdomain] is missing');
  });

  it.each([
    ['account[id]=abc&leads[status][0][id]=1&leads[status][0][status_id]=142', 'account[id]'],
    ['account[id]=1.5&leads[status][0][id]=1&leads[status][0][status_id]=142', 'account[id]'],
    ['account[id]=', 'account'],
    ['account[id]=5', 'body'],
    ['account[id]=5&foo=bar&contacts[add]=x', 'body'],
    ['account[id]=5&leads[status][0][id]=12x', 'leads[status][0]'],
    ['account[id]=5&leads[add][0][id]=3&leads[add][0][status_id]=won', 'leads[add][0]'],
    ['account[id]=5&leads[status]=1', 'leads[status]'],
  ])('refuses %s (no usable content), naming %s', (text, field) => {
    const error = rejection(body(text));
    expect(error.code).toBe('bad_request');
    expect(error.field).toBe(field);
  });

  it('keeps the event of a delivery with bytes that are not UTF-8 in a field it does not read', () => {
    const bytes = Buffer.concat([body('account[id]=5&leads[status][0][id]=1&leads[status][0][status_id]=142&leads[status][0][name]='), Buffer.from([0xc3, 0x28, 0xff])]);
    expect(parseKommoWebhook(bytes).events).toEqual([status(1, 142)]);
  });

  it('tolerates deeply nested keys without failing or slowing down', () => {
    const deep = `account[id]=5&leads[status][0][id]=1&leads[status][0][status_id]=142&x${'[a]'.repeat(2000)}=1&leads[status][0][custom][a][b][c][d][e]=1`;
    const started = performance.now();
    expect(parseKommoWebhook(body(deep)).events).toEqual([status(1, 142)]);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('does not let __proto__ keys pollute prototypes', () => {
    const text = [
      'account[id]=5',
      '__proto__[polluted]=yes',
      'account[__proto__][polluted]=yes',
      'leads[__proto__][polluted]=yes',
      'leads[status][__proto__][polluted]=yes',
      'leads[status][0][id]=1',
      'leads[status][0][status_id]=142',
      'constructor[prototype][polluted]=yes',
    ].join('&');
    const parsed = parseKommoWebhook(body(text));
    expect(parsed.events).toEqual([status(1, 142)]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });
});
