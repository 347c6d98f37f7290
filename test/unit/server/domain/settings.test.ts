import { parseSettings, ruleForPipeline } from '../../../../server/domain/settings';

describe('parseSettings', () => {
  it('gives every default for an empty object', () => {
    expect(parseSettings({})).toEqual({
      pipelines: 'all',
      rules: [],
      fields: { spec: 'Spec', deadline: 'Deadline', issue: 'Linear issue' },
      defaultPriority: 2,
      priorityTags: [],
      userOverrides: [],
      notes: { created: true, completed: true, canceled: true, reassigned: true, deleted: true, identifierChanged: true },
      followUp: { completed: { task: false, dueInWorkingHours: 4, taskTypeId: 1 }, canceled: { task: false, dueInWorkingHours: 4, taskTypeId: 1 } },
      comments: { enabled: false, prefix: '#linear' },
      customers: { enabled: false },
    });
  });

  it('treats null and undefined as an empty object', () => {
    expect(parseSettings(undefined)).toEqual(parseSettings({}));
    expect(parseSettings(null)).toEqual(parseSettings({}));
  });

  it('keeps the defaults of the fields a partial object leaves out', () => {
    const settings = parseSettings({ fields: { spec: 'Brief' }, rules: [{ pipelineId: 5 }] });
    expect(settings.fields).toEqual({ spec: 'Brief', deadline: 'Deadline', issue: 'Linear issue' });
    expect(settings.rules).toEqual([{ pipelineId: 5, labels: [] }]);
  });

  it.each([
    [{ defaultPriority: 5 }],
    [{ pipelines: 'some' }],
    [{ priorityTags: [{ tag: '', priority: 1 }] }],
    [{ rules: [{ pipelineId: -1 }] }],
  ])('rejects an invalid value %j', (value) => {
    expect(() => parseSettings(value)).toThrow();
  });
});

describe('ruleForPipeline', () => {
  const own = { pipelineId: 7788, team: 'OPS', labels: ['customer'] };
  const fallback = { team: 'ENG', labels: [] };

  it("with 'all', a pipeline without a rule gets the default rule", () => {
    const settings = parseSettings({ rules: [own, fallback] });
    expect(ruleForPipeline(settings, 1)).toEqual(fallback);
  });

  it("with 'all' and no default rule, a pipeline gets an empty rule", () => {
    expect(ruleForPipeline(parseSettings({ rules: [own] }), 1)).toEqual({ labels: [] });
  });

  it('a pipeline with its own rule gets it, even when a default rule comes first', () => {
    const settings = parseSettings({ rules: [fallback, own] });
    expect(ruleForPipeline(settings, 7788)).toEqual(own);
  });

  it("with 'listed', only pipelines with their own rule create issues", () => {
    const settings = parseSettings({ pipelines: 'listed', rules: [fallback, own] });
    expect(ruleForPipeline(settings, 7788)).toEqual(own);
    expect(ruleForPipeline(settings, 1)).toBeUndefined();
  });
});
