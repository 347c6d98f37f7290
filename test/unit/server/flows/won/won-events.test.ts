import type { KommoLeadEvent } from '../../../../../server/kommo/webhook';
import { parseSettings } from '../../../../../server/domain/settings';
import { wonLeadIds } from '../../../../../server/flows/won/won-events';

const ev = (kind: KommoLeadEvent['kind'], leadId: number, statusId: number | undefined, pipelineId: number | undefined = 10): KommoLeadEvent => ({
  kind,
  leadId,
  statusId,
  pipelineId,
});

describe('wonLeadIds', () => {
  const all = parseSettings({});

  it('keeps status changes into 142 only', () => {
    expect(wonLeadIds([ev('status', 1, 142), ev('status', 2, 143), ev('status', 3, 55), ev('status', 4, undefined)], all)).toEqual([1]);
  });

  it('keeps leads added straight into 142', () => {
    expect(wonLeadIds([ev('add', 5, 142), ev('add', 6, 55)], all)).toEqual([5]);
  });

  it('ignores update events even when the status is 142', () => {
    expect(wonLeadIds([ev('update', 7, 142)], all)).toEqual([]);
  });

  it("with 'listed', ignores pipelines without a rule", () => {
    const listed = parseSettings({ pipelines: 'listed', rules: [{ pipelineId: 10 }, { team: 'ENG' }] });
    expect(wonLeadIds([ev('status', 1, 142, 10), ev('status', 2, 142, 20), ev('add', 3, 142, 20)], listed)).toEqual([1]);
  });

  it('collapses duplicates, keeping the first order', () => {
    expect(wonLeadIds([ev('status', 9, 142), ev('add', 8, 142), ev('status', 9, 142), ev('add', 9, 142)], all)).toEqual([9, 8]);
  });

  it('returns nothing for no events', () => {
    expect(wonLeadIds([], all)).toEqual([]);
  });
});
