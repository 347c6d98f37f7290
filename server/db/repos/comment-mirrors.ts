/**
 * Comments mirrored between a Linear issue and a Kommo deal (`comment_mirrors`): one row per
 * source comment or note and link, claimed before anything is posted, stamped before and after.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CommentMirror, LinkComment, MirrorClaim } from '../../domain/comment-mirror';
import type { DbOrTrx } from '../create-db';
import { integer, nullableInteger, nullableText, nullableTimestamp, parseRow } from '../rows';

const Row = z.object({
  id: z.string(),
  link_id: z.string(),
  lead_id: integer,
  origin: z.enum(['linear', 'kommo']),
  linear_comment_id: z.string(),
  kommo_note_id: nullableInteger,
  author: nullableText,
  text: z.string(),
  started_at: nullableTimestamp,
  done_at: nullableTimestamp,
});

function toMirror(row: unknown): CommentMirror {
  const r = parseRow(Row, row, 'comment_mirrors');
  return {
    id: r.id,
    linkId: r.link_id,
    leadId: r.lead_id,
    origin: r.origin,
    linearCommentId: r.linear_comment_id,
    kommoNoteId: r.kommo_note_id,
    author: r.author,
    text: r.text,
    startedAt: r.started_at,
    doneAt: r.done_at,
  };
}

const sourceKey = (claim: MirrorClaim) => (claim.origin === 'linear' ? `linear:${claim.linearCommentId ?? ''}` : `kommo:${claim.kommoNoteId ?? ''}`);

export const commentMirrorsRepo = {
  /** The row of this source and link, created if absent; a comment we create gets its id here. */
  async claim(db: DbOrTrx, claim: MirrorClaim): Promise<CommentMirror> {
    const key = sourceKey(claim);
    await db('comment_mirrors')
      .insert({
        id: randomUUID(),
        installation_id: claim.installationId,
        link_id: claim.linkId,
        lead_id: claim.leadId,
        origin: claim.origin,
        source_key: key,
        linear_comment_id: claim.linearCommentId ?? randomUUID(),
        kommo_note_id: claim.kommoNoteId ?? null,
        author: claim.author,
        text: claim.text,
      })
      .onConflict(['link_id', 'source_key'])
      .ignore();
    return toMirror(await db('comment_mirrors').where({ link_id: claim.linkId, source_key: key }).first());
  },

  async find(db: DbOrTrx, id: string): Promise<CommentMirror | undefined> {
    const row = await db('comment_mirrors').where({ id }).first();
    return row ? toMirror(row) : undefined;
  },

  async markStarted(db: DbOrTrx, id: string): Promise<void> {
    await db('comment_mirrors').where({ id }).update({ started_at: db.fn.now() });
  },

  /** Done; for a note we posted, with the id Kommo gave it (so its webhook is known as ours). */
  async markDone(db: DbOrTrx, id: string, kommoNoteId?: number): Promise<void> {
    await db('comment_mirrors')
      .where({ id })
      .update({ done_at: db.fn.now(), ...(kommoNoteId === undefined ? {} : { kommo_note_id: kommoNoteId }) });
  },

  /** A Linear comment we created from a Kommo note. */
  async isOurComment(db: DbOrTrx, installationId: string, linearCommentId: string): Promise<boolean> {
    const row = await db('comment_mirrors').where({ installation_id: installationId, linear_comment_id: linearCommentId, origin: 'kommo' }).first('id');
    return Boolean(row);
  },

  /**
   * A Kommo note we posted from a Linear comment: by its id, or, while Kommo's answer (with the id)
   * is still on its way, by the deal and the exact text of a note being posted.
   */
  async isOurNote(db: DbOrTrx, installationId: string, leadId: number, noteId: number, text: string): Promise<boolean> {
    const row = await db('comment_mirrors')
      .where({ installation_id: installationId, origin: 'linear' })
      .andWhere((q) =>
        q.where({ kommo_note_id: noteId }).orWhere((r) => r.where({ lead_id: leadId, text }).whereNull('kommo_note_id').whereNotNull('started_at')),
      )
      .first('id');
    return Boolean(row);
  },

  /** Who wrote a comment we mirrored (either way), to say whom a reply answers. */
  async authorOf(db: DbOrTrx, installationId: string, linearCommentId: string): Promise<string | undefined> {
    const row = (await db('comment_mirrors').where({ installation_id: installationId, linear_comment_id: linearCommentId }).whereNotNull('author').first('author')) as
      | { author: string }
      | undefined;
    return row?.author;
  },

  /** The deal card's "last comment from Linear" of a link. */
  async setLastComment(db: DbOrTrx, linkId: string, comment: LinkComment): Promise<void> {
    await db('deal_links')
      .where({ id: linkId })
      .andWhere((q) => q.whereNull('last_comment').orWhereRaw(`(last_comment->>'at') <= ?`, [comment.at]))
      .update({ last_comment: JSON.stringify(comment) });
  },
};
