/** The periodic timers offer the access check to refused installations and the other jobs to the rest. */
import type { InstallationStore } from '../../../../server/db/installation-store';
import type { Installation } from '../../../../server/domain/installation';
import { schedulePeriodic } from '../../../../server/jobs/periodic';
import { createLogger } from '../../../../server/log';
import { anInstallation } from '../../../helpers/installation';

const installation = (id: string, refused: boolean): Installation =>
  anInstallation(id, { kommoAccess: refused ? { problem: 'unpaid', message: 'HTTP 402', since: new Date(0), checkedAt: new Date(0) } : null });

describe('schedulePeriodic', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('offers the access check only to refused installations, and nothing else to them', async () => {
    const sent: string[] = [];
    const installations: Pick<InstallationStore, 'listActive'> = {
      listActive: async () => [installation('ok', false), installation('unpaid', true)],
    };
    const schedule = schedulePeriodic(
      { installations, log: createLogger('silent') },
      { send: async (name, data) => (sent.push(`${name}:${(data as { installationId: string }).installationId}`), null) },
      { reconcileSeconds: 1, wonPollSeconds: 1, kommoAccessCheckSeconds: 1 },
    );
    await jest.advanceTimersByTimeAsync(1000);
    schedule.stop();
    expect(sent.sort()).toEqual(['kommo-access-check:unpaid', 'kommo-won-poll:ok', 'linear-reconcile:ok']);
  });

  it('offers no access check when its interval is 0', async () => {
    const sent: string[] = [];
    const schedule = schedulePeriodic(
      { installations: { listActive: async () => [installation('unpaid', true)] }, log: createLogger('silent') },
      { send: async (name) => (sent.push(name), null) },
      { reconcileSeconds: 1, wonPollSeconds: 1, kommoAccessCheckSeconds: 0 },
    );
    await jest.advanceTimersByTimeAsync(5000);
    schedule.stop();
    expect(sent).toEqual([]);
  });
});
