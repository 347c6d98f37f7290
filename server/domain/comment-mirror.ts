/**
 * A comment mirrored between a linked Linear issue and its Kommo deal, in one direction: a Linear
 * comment that became a deal note (`origin: 'linear'`), or a deal note that became a comment
 * (`origin: 'kommo'`). One per source and link: replays and duplicates find it and do nothing.
 */

export type MirrorOrigin = 'linear' | 'kommo';

export interface CommentMirror {
  id: string;
  linkId: string;
  leadId: number;
  origin: MirrorOrigin;
  /** The source comment (origin linear) or the comment we create, with our own id (origin kommo). */
  linearCommentId: string;
  /** The source note (origin kommo) or the note we posted, once Kommo told its id (origin linear). */
  kommoNoteId: number | null;
  author: string | null;
  /** What we post: the note's or the comment's text. */
  text: string;
  /** Set before the post; with no `doneAt`, an earlier attempt's outcome is unknown. */
  startedAt: Date | null;
  doneAt: Date | null;
}

export interface MirrorClaim {
  installationId: string;
  linkId: string;
  leadId: number;
  origin: MirrorOrigin;
  /** Required for origin linear; for origin kommo generated when absent. */
  linearCommentId?: string;
  /** Required for origin kommo. */
  kommoNoteId?: number;
  author: string | null;
  text: string;
}

/** The last comment from Linear a deal card shows on a link. */
export interface LinkComment {
  author: string;
  text: string;
  /** When it was written in Linear (ISO). */
  at: string;
}
