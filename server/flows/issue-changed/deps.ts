/** What the Linear → Kommo flow needs: the installation, its links, the Kommo calls for notes, fields, tasks and stages. */
import type { IssueSnapshot } from '../../domain/issue-snapshot';
import type { Installation } from '../../domain/installation';
import type { Logger } from '../../log';
import type { KommoPort, LinearPort, LinkStore, ReferenceDataPort } from '../ports';

export interface IssueChangeDeps {
  installation: Installation;
  links: LinkStore;
  kommo: Pick<KommoPort, 'setLeadField' | 'addLeadNote' | 'listLeadNotes' | 'getLead' | 'addLeadTask' | 'listLeadTasks' | 'moveLead'>;
  referenceData: Pick<ReferenceDataPort, 'account' | 'leadField'>;
  log: Logger;
}

/** Posting what a link owes needs the links, Kommo, and the account's timezone (task due times). */
export type PendingNotesDeps = Pick<IssueChangeDeps, 'links' | 'kommo' | 'referenceData'>;

export interface ReconcileDeps extends IssueChangeDeps {
  linear: Pick<LinearPort, 'issuesChangedSince'>;
  reconciledAt: Date | null;
  markReconciled(at: Date): Promise<void>;
  /** Catches up the comments made on these issues since `since` (ISO); how many Linear listed. */
  reconcileComments?(issueIds: string[], since: string): Promise<number>;
}

/** One change of a linked issue, from a webhook or from reconciliation. */
export interface IssueChange {
  issueId: string;
  /** Absent for a removed issue Linear no longer returns: each link keeps the snapshot it has. */
  snapshot: IssueSnapshot | undefined;
  deleted: boolean;
  /** Our own integration made the change: update the cache, post nothing about it. */
  byUs: boolean;
}
