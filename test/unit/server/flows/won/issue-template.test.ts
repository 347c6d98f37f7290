/** How a rule's template and our fields combine: ours on top, our defaults giving way, what the template still sets. */
import { templateDefaults, templateResult, withTemplate } from '../../../../../server/flows/won/issue-template';
import type { LinearTemplate } from '../../../../../server/linear/schemas';

const template = (data: Record<string, unknown>): LinearTemplate => ({ id: 'tpl', name: 'Onboarding', type: 'issue', teamId: null, data });
const input = { teamId: 'team', title: 'ACME', description: 'Our block\n', priority: 2, labelIds: ['ours'] };
const names = { states: [{ id: 's1', name: 'Todo' }], users: [{ id: 'u1', name: 'Ann' }], projects: [{ id: 'p1', name: 'Launch' }], labels: [{ id: 'l1', name: 'bug' }] };

describe('issue template', () => {
  it("sends the template id and keeps the template's Markdown description under our block", () => {
    expect(withTemplate(input, template({ description: '## Checklist' }))).toEqual({ ...input, description: 'Our block\n\n## Checklist\n', templateId: 'tpl' });
    expect(withTemplate(input, template({})).description).toBe('Our block\n');
  });

  it('lists what the template still sets, by name, and not what our fields override', () => {
    const { applied, warnings } = templateResult(input, template({ labelIds: ['l1'], projectId: 'p1', assigneeId: 'u1', estimate: 3, title: 'x' }), names);
    expect(applied).toEqual({ id: 'tpl', name: 'Onboarding', fields: [{ field: 'Project', value: 'Launch' }, { field: 'Assignee', value: 'Ann' }, { field: 'Estimate', value: '3' }] });
    expect(warnings).toEqual([]);
  });

  it('says when a rich-text-only template description is replaced by ours', () => {
    expect(templateResult(input, template({ descriptionData: { type: 'doc' } }), names).warnings.map((w) => w.code)).toEqual(['template_description']);
  });

  it('offers the template priority and state in place of our defaults, ignoring invalid ones', () => {
    expect(templateDefaults(template({ priority: 4, stateId: 's1' }), names.states)).toEqual({ priority: 4, state: { id: 's1', name: 'Todo' } });
    expect(templateDefaults(template({ priority: 9 }), names.states)).toEqual({});
  });
});
