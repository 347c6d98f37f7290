/** The job that finishes a Kommo marketplace install from its saved authorization code. */
import { z } from 'zod';
import { installFromGrant, type InstallDeps } from '../sync/install-kommo';
import type { JobDefinition } from './queue';

export const KOMMO_INSTALL = 'kommo-install';
const InstallJobSchema = z.object({ grantId: z.string().uuid() });

export function kommoInstallJob(deps: InstallDeps): JobDefinition<typeof InstallJobSchema> {
  return {
    name: KOMMO_INSTALL,
    schema: InstallJobSchema,
    async handle({ grantId }, context) {
      await installFromGrant({ ...deps, log: deps.log.child({ grantId, jobId: context.jobId }) }, grantId, context.finalAttempt);
    },
  };
}
