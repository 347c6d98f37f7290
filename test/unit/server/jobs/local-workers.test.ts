import { createLocalWorkers } from '../../../../server/jobs/local-workers';

describe('local queue workers', () => {
  afterEach(() => jest.useRealTimers());

  function pool(workers: string[], pollingMs = 1000) {
    const woken: string[] = [];
    const local = createLocalWorkers((id) => woken.push(id), pollingMs);
    for (const id of workers) local.add('q', id);
    return { local, woken };
  }

  it('wakes an idle worker for a job sent here, never a busy one, and none when all are busy', () => {
    const { local, woken } = pool(['a', 'b']);
    local.sent('q');
    expect(woken).toEqual(['a']);
    local.started('q', 'a');
    local.sent('q');
    expect(woken).toEqual(['a', 'b']);
    local.started('q', 'b');
    local.sent('q');
    expect(woken).toEqual(['a', 'b']);
  });

  it('polls with one idle worker per interval, in turn, not with every worker', () => {
    jest.useFakeTimers();
    const { local, woken } = pool(['a', 'b', 'c']);
    local.poll('q');
    jest.advanceTimersByTime(999);
    expect(woken).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(woken).toEqual(['a']);
    jest.advanceTimersByTime(2000);
    expect(woken).toEqual(['a', 'b', 'c']);
    local.stop();
    jest.advanceTimersByTime(5000);
    expect(woken).toHaveLength(3);
  });

  it('a job found by polling or right after the last one wakes another idle worker; one sent here does not', () => {
    const { local, woken } = pool(['a', 'b', 'c']);
    // Found by a poll: a backlog may be waiting (queued by another instance).
    local.started('q', 'a');
    expect(woken).toEqual(['b']);
    local.started('q', 'b');
    expect(woken).toEqual(['b', 'c']);
    // Done: the worker looks again at once, and the job it finds then also passes the word on.
    local.finished('q', 'a');
    expect(woken).toEqual(['b', 'c', 'a']);
    local.started('q', 'c');
    expect(woken).toEqual(['b', 'c', 'a', 'a']);
    // A worker woken for a job sent here finds that job: no sign of a backlog.
    local.finished('q', 'b');
    woken.length = 0;
    local.sent('q');
    expect(woken).toEqual(['b']);
    local.started('q', 'b');
    expect(woken).toEqual(['b']);
  });
});
