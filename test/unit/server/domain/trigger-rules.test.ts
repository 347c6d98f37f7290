import { parseSettings } from '../../../../server/domain/settings';
import { ruleByKey, rulesFiredAt, rulesFiredAtAnyPipeline, rulesOfPipeline, triggerStages } from '../../../../server/domain/trigger-rules';

describe('trigger rules', () => {
  it('keeps the old behaviour for settings without stages: Won in every pipeline, key won', () => {
    const settings = parseSettings({});
    expect(rulesFiredAt(settings, 5, 142).map((r) => r.key)).toEqual(['won']);
    expect(rulesFiredAt(settings, 5, 77)).toEqual([]);
    const legacy = parseSettings({ rules: [{ pipelineId: 5, team: 'OPS' }, { team: 'ENG' }] });
    expect(rulesFiredAt(legacy, 5, 142).map((r) => [r.key, r.rule.team])).toEqual([['won', 'OPS']]);
    expect(rulesFiredAt(legacy, 6, 142).map((r) => [r.key, r.rule.team])).toEqual([['won', 'ENG']]);
  });

  it('fires every rule of the pipeline on its own stage, each with its own key', () => {
    const settings = parseSettings({
      pipelines: 'listed',
      rules: [
        { id: 'a', pipelineId: 5, statusId: 51 },
        { id: 'b', pipelineId: 5 },
        { id: 'c', pipelineId: 5, statusId: 51, team: 'OPS' },
      ],
    });
    expect(rulesFiredAt(settings, 5, 51).map((r) => r.key)).toEqual(['rule:a', 'rule:c']);
    expect(rulesFiredAt(settings, 5, 142).map((r) => r.key)).toEqual(['rule:b']);
    expect(rulesFiredAt(settings, 6, 142)).toEqual([]);
    expect(triggerStages(settings, [5, 6])).toEqual([
      { pipelineId: 5, statusId: 51 },
      { pipelineId: 5, statusId: 142 },
    ]);
    expect(ruleByKey(settings, 5, 'rule:c')?.rule.team).toBe('OPS');
    expect(ruleByKey(settings, 6, 'rule:c')).toBeUndefined();
  });

  it('gives a second rule without an id in one pipeline a key of its own', () => {
    const settings = parseSettings({ rules: [{ pipelineId: 5 }, { pipelineId: 5, statusId: 51 }] });
    expect(rulesOfPipeline(settings, 5).map((r) => r.key)).toEqual(['won', 'rule:p5#2']);
  });

  it('without a pipeline in the event, offers every rule on that stage; the job checks the pipeline', () => {
    const settings = parseSettings({ rules: [{ id: 'a', pipelineId: 5, statusId: 51 }, { id: 'd', statusId: 142 }] });
    expect(rulesFiredAtAnyPipeline(settings, 51).map((r) => r.key)).toEqual(['rule:a']);
    expect(rulesFiredAtAnyPipeline(settings, 142).map((r) => r.key)).toEqual(['rule:d']);
  });
});
