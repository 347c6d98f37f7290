import { LINEAR_OPERATIONS } from '../../server/linear/operations';
import { validateOperation } from '../helpers/linear-schema';

describe("Linear operations against Linear's schema", () => {
  it.each(Object.entries(LINEAR_OPERATIONS))('%s is valid', (_name, document) => {
    expect(validateOperation(document).map((e) => e.message)).toEqual([]);
  });

  it('every operation is named, so errors and faults can be told apart', () => {
    for (const document of Object.values(LINEAR_OPERATIONS)) expect(document).toMatch(/^\s*(query|mutation) [A-Z]\w+/);
  });

  it.each([
    ['an unknown field', 'query Teams { teams(first: 250) { nodes { id key nickname } } }', /Cannot query field "nickname"/],
    ['a wrong argument type', 'query TeamStates($teamId: Int!) { workflowStates(filter: { team: { id: { eq: $teamId } } }) { nodes { id } } }', /Int!/],
    ['a missing required argument', 'query IssueById { issue { id } }', /argument "id"/],
    ['a syntax error', 'query Broken { teams { nodes { id }', /Syntax Error/],
  ])('rejects an operation with %s', (_what, document, message) => {
    const errors = validateOperation(document);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.message).join('\n')).toMatch(message);
  });
});
