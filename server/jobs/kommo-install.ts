/** The job that finishes a Kommo marketplace install from its saved authorization code. */
import { z } from 'zod';
import type { InstallDeps } from '../flows/install/deps';
import { installFromGrant } from '../flows/install/install-kommo';
import type { JobDefinition, Queue } from './queue';

export const KOMMO_INSTALL = 'kommo-install';
const InstallJobSchema = z.object({ grantId: z.string().uuid() });

/** Queues the install of a saved grant (once per grant). */
export async function enqueueInstall(queue: Pick<Queue, 'send'>, grantId: string): Promise<void> {
  await queue.send(KOMMO_INSTALL, { grantId }, { key: `install:${grantId}` });
}

export function kommoInstallJob(deps: InstallDeps): JobDefinition<typeof InstallJobSchema> {
  return {
    name: KOMMO_INSTALL,
    schema: InstallJobSchema,
    async handle({ grantId }, context) {
      await installFromGrant({ ...deps, log: deps.log.child({ grantId, jobId: context.jobId }) }, grantId, context.finalAttempt);
    },
  };
}
