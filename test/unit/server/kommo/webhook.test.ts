import { AppError } from '../../../../server/errors';
import { parseKommoWebhook } from '../../../../server/kommo/webhook';
import { kommoAddWebhook, kommoStatusWebhook, kommoUpdateWebhook } from '../../../fixtures/kommo-webhook';

const ACCOUNT = { accountId: 29999999, subdomain: 'acme' };
const body = (text: string) => Buffer.from(text, 'utf8');

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
  const status = { leads: [{ id: 101, statusId: 142, pipelineId: 7788, oldStatusId: 55 }, { id: 102, statusId: 143, pipelineId: 7788, oldStatusId: 55 }] };

  it.each([true, false])('parses status events with encodeBrackets=%p', (encodeBrackets) => {
    const text = kommoStatusWebhook({ ...ACCOUNT, ...status }, { encodeBrackets });
    expect(text.includes('[')).toBe(!encodeBrackets);
    expect(parseKommoWebhook(body(text))).toEqual({
      accountId: 29999999,
      subdomain: 'acme',
      events: [
        { kind: 'status', leadId: 101, statusId: 142, pipelineId: 7788 },
        { kind: 'status', leadId: 102, statusId: 143, pipelineId: 7788 },
      ],
    });
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
    expect(parseKommoWebhook(body(kommoAddWebhook({ ...ACCOUNT, leads: [snapshot] }))).events).toEqual([
      { kind: 'add', leadId: 7, statusId: 142, pipelineId: 1 },
    ]);
    expect(parseKommoWebhook(body(kommoUpdateWebhook({ ...ACCOUNT, leads: [snapshot] }, { encodeBrackets: false }))).events).toEqual([
      { kind: 'update', leadId: 7, statusId: 142, pipelineId: 1 },
    ]);
  });

  it('accepts an account without leads', () => {
    expect(parseKommoWebhook(body('account[id]=5'))).toEqual({ accountId: 5, subdomain: undefined, events: [] });
  });

  it('accepts sparse and large indices (qs turns them into an object)', () => {
    const text = 'account[id]=5&leads[status][600][id]=1&leads[status][600][status_id]=142&leads[status][3][id]=2';
    const events = parseKommoWebhook(body(text)).events;
    expect(events).toHaveLength(2);
    expect(events).toEqual(
      expect.arrayContaining([
        { kind: 'status', leadId: 1, statusId: 142, pipelineId: undefined },
        { kind: 'status', leadId: 2, statusId: undefined, pipelineId: undefined },
      ]),
    );
  });

  it('rejects a body without the account, naming the field', () => {
    const error = rejection(body('leads[status][0][id]=1'));
    expect(error.code).toBe('bad_request');
    expect(error.field).toBe('account');
    expect(error.message).toMatch(/^Not a Kommo webhook: account /);
  });

  it.each([
    ['account[id]=abc', 'account[id]'],
    ['account[id]=0', 'account[id]'],
    ['account[id]=', 'account[id]'],
    ['account[id]=5&leads[status][0][id]=12x', 'leads[status][0][id]'],
    ['account[id]=5&leads[status][0][id]=1.5', 'leads[status][0][id]'],
    ['account[id]=5&leads[add][0][id]=3&leads[add][0][status_id]=won', 'leads[add][0][status_id]'],
  ])('rejects a non-numeric id in %s, naming %s', (text, field) => {
    const error = rejection(body(text));
    expect(error.code).toBe('bad_request');
    expect(error.field).toBe(field);
    expect(error.message).toContain(`: ${field} `);
  });

  it('names the exact event field of a sparse (object-form) list', () => {
    expect(rejection(body('account[id]=5&leads[status][700][id]=12x')).field).toBe('leads[status][0][id]');
  });

  it('rejects bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([body('account[id]=5&leads[status][0][id]=1&x='), Buffer.from([0xc3, 0x28, 0xff])]);
    const error = rejection(bytes);
    expect(error.code).toBe('bad_request');
    expect(error.message).toBe('The body is not valid UTF-8');
  });

  it('tolerates deeply nested keys without failing or slowing down', () => {
    const deep = `account[id]=5&leads[status][0][id]=1&x${'[a]'.repeat(2000)}=1&leads[status][0][custom][a][b][c][d][e]=1`;
    const started = performance.now();
    expect(parseKommoWebhook(body(deep)).events).toEqual([{ kind: 'status', leadId: 1, statusId: undefined, pipelineId: undefined }]);
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
      'constructor[prototype][polluted]=yes',
    ].join('&');
    const parsed = parseKommoWebhook(body(text));
    expect(parsed.events).toEqual([{ kind: 'status', leadId: 1, statusId: undefined, pipelineId: undefined }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('ignores other entities and unknown fields', () => {
    const text = 'account[id]=5&contacts[add][0][id]=8&leads[delete][0][id]=9&leads[status][0][id]=1&leads[status][0][extra]=z';
    expect(parseKommoWebhook(body(text)).events).toEqual([{ kind: 'status', leadId: 1, statusId: undefined, pipelineId: undefined }]);
  });
});
