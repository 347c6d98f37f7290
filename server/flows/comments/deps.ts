/** What comments both ways need: the installation, its links, the mirror records, Kommo notes, Linear comments. */
import type { CommentMirror, LinkComment, MirrorClaim } from '../../domain/comment-mirror';
import type { Installation } from '../../domain/installation';
import type { Logger } from '../../log';
import type { KommoPort, LinearPort, LinkStore, ReferenceDataPort } from '../ports';

/** The mirror records (`comment_mirrors`), as the flows use them. */
export interface CommentMirrorStore {
  claim(claim: MirrorClaim): Promise<CommentMirror>;
  find(id: string): Promise<CommentMirror | undefined>;
  markStarted(id: string): Promise<void>;
  markDone(id: string, kommoNoteId?: number): Promise<void>;
  isOurComment(installationId: string, linearCommentId: string): Promise<boolean>;
  isOurNote(installationId: string, leadId: number, noteId: number, text: string): Promise<boolean>;
  authorOf(installationId: string, linearCommentId: string): Promise<string | undefined>;
  setLastComment(linkId: string, comment: LinkComment): Promise<void>;
}

export interface LinearCommentDeps {
  installation: Installation;
  links: Pick<LinkStore, 'listForIssue' | 'awaitLease' | 'acquireLease' | 'releaseLease'>;
  mirrors: CommentMirrorStore;
  kommo: Pick<KommoPort, 'postLeadNote' | 'listLeadNotes'>;
  referenceData: Pick<ReferenceDataPort, 'account' | 'linearUsers'>;
  log: Logger;
}

export interface KommoNoteDeps {
  installation: Installation;
  links: Pick<LinkStore, 'listForLead'>;
  mirrors: CommentMirrorStore;
  kommo: Pick<KommoPort, 'getLeadNote'>;
  linear: Pick<LinearPort, 'createCommentWithId'>;
  referenceData: Pick<ReferenceDataPort, 'kommoUser'>;
  log: Logger;
}

/** A new comment on a linked issue, as the verified webhook described it. */
export interface LinearCommentEvent {
  commentId: string;
  issueId: string;
  body: string;
  /** The author's name when the payload had it; else looked up by `userId` among Linear's users. */
  authorName: string | undefined;
  userId: string | undefined;
  parentId: string | undefined;
  parentUserId: string | undefined;
  createdAt: string | undefined;
}
