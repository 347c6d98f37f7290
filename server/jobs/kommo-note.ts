/** The job behind a Kommo note webhook whose note starts with the comment prefix. */
import { z } from 'zod';
import { bindDb } from '../db/bind';
import { commentMirrorsRepo } from '../db/repos/comment-mirrors';
import { onKommoNote } from '../flows/comments/on-kommo-note';
import { loadInstallationContext, recordKommoRefusal, type InstallationJobDeps } from './installation-context';
import type { JobDefinition, Queue } from './queue';

export const KOMMO_NOTE = 'kommo-note';

export const KommoNoteJobSchema = z.object({
  installationId: z.string().uuid(),
  leadId: z.number().int().positive(),
  noteId: z.number().int().positive(),
});
export type KommoNoteJob = z.infer<typeof KommoNoteJobSchema>;

/** One job per note: a duplicate delivery while it waits collapses into it; after, the mirror row stops it. */
export async function enqueueKommoNote(queue: Pick<Queue, 'send'>, job: KommoNoteJob): Promise<void> {
  await queue.send(KOMMO_NOTE, job, { key: `kommo-note:${job.installationId}:${job.noteId}` });
}

export function kommoNoteJob(deps: InstallationJobDeps): JobDefinition<typeof KommoNoteJobSchema> {
  return {
    name: KOMMO_NOTE,
    schema: KommoNoteJobSchema,
    async handle(data, context) {
      const log = deps.log.child({ installationId: data.installationId, leadId: data.leadId, noteId: data.noteId, jobId: context.jobId });
      const ctx = await loadInstallationContext(deps, data.installationId, log);
      if (!ctx || ctx.installation.kommoAccess) return;
      await onKommoNote({ ...ctx, mirrors: bindDb(commentMirrorsRepo, deps.db) }, { leadId: data.leadId, noteId: data.noteId }).catch(async (error: unknown) => {
        if (!(await recordKommoRefusal(deps, ctx, error))) throw error;
      });
    },
  };
}
