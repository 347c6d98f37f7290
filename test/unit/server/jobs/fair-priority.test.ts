import { createFairPriority } from '../../../../server/jobs/fair-priority';

describe('fair priority', () => {
  function setUp(waiting: Record<string, number>) {
    let clock = 0;
    const counted: string[] = [];
    const fair = createFairPriority(
      async (queue, group) => {
        counted.push(`${queue}/${group}`);
        return waiting[group] ?? 0;
      },
      { reuseMs: 1000, now: () => clock },
    );
    return { fair, counted, advance: (ms: number) => (clock += ms) };
  }

  it('puts a group with nothing waiting first, and each further job of a group one step lower', async () => {
    const { fair } = setUp({ busy: 400 });
    expect(await fair.priorityFor('q', 'quiet')).toBe(0);
    expect(await fair.priorityFor('q', 'quiet')).toBe(-1);
    expect(await fair.priorityFor('q', 'busy')).toBe(-400);
    expect(await fair.priorityFor('q', 'busy')).toBe(-401);
  });

  it('counts once per while and group, then counts again', async () => {
    const { fair, counted, advance } = setUp({ a: 3 });
    for (let i = 0; i < 100; i++) await fair.priorityFor('q', 'a');
    expect(counted).toEqual(['q/a']);
    advance(999);
    expect(await fair.priorityFor('q', 'a')).toBe(-103);
    advance(1);
    // The stored count (3) wins over the local estimate once the while is over.
    expect(await fair.priorityFor('q', 'a')).toBe(-3);
    expect(counted).toEqual(['q/a', 'q/a']);
  });

  it('keeps queues apart', async () => {
    const { fair } = setUp({});
    expect(await fair.priorityFor('one', 'a')).toBe(0);
    expect(await fair.priorityFor('two', 'a')).toBe(0);
  });
});
