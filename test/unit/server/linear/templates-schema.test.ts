/** Linear's `templateData` (the JSON scalar): stringified per the schema, or an object; anything else pre-fills nothing. */
import { TemplatesResponse } from '../../../../server/linear/schemas';

const answer = (templateData: unknown) => ({ templates: [{ id: 't1', name: 'Bug', type: 'issue', team: { id: 'team-1' }, templateData }] });

describe('Linear templates answer', () => {
  it.each([
    ['a JSON string', '{"priority":1,"labelIds":["l1"]}'],
    ['an object', { priority: 1, labelIds: ['l1'] }],
  ])('reads templateData given as %s', (_how, templateData) => {
    expect(TemplatesResponse.parse(answer(templateData)).templates).toEqual([
      { id: 't1', name: 'Bug', type: 'issue', teamId: 'team-1', data: { priority: 1, labelIds: ['l1'] } },
    ]);
  });

  it.each([['broken JSON', '{"priority":'], ['a JSON array', '[1]'], ['null', null]])('reads %s as no pre-filled fields', (_what, templateData) => {
    expect(TemplatesResponse.parse(answer(templateData)).templates[0]?.data).toEqual({});
  });

  it('reads a workspace template (no team) as usable by every team', () => {
    expect(TemplatesResponse.parse({ templates: [{ id: 't2', name: 'Shared', type: 'issue', team: null, templateData: '{}' }] }).templates[0]?.teamId).toBeNull();
  });
});
