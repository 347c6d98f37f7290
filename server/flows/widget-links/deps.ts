/** What the deal card's actions need: the installation, its links, Kommo, Linear, and a way to queue the Won job. */
import type { Installation } from '../../domain/installation';
import type { Logger } from '../../log';
import type { KommoPort, LinearPort, LinkStore, ReferenceDataPort } from '../ports';

export type { AttachmentInput, LinearIssue, LinearSearchResult } from '../ports';

/** The Won job of one link of a deal, queued by Create and Retry. */
export interface WidgetJob {
  installationId: string;
  leadId: number;
  linkKey: string;
  requestedAt: Date;
  requestedBy?: number;
}

export interface WidgetLinksDeps {
  installation: Installation;
  links: LinkStore;
  kommo: Pick<KommoPort, 'getLead'>;
  linear: Pick<LinearPort, 'issue' | 'upsertAttachment' | 'removeAttachment' | 'searchIssues'>;
  referenceData: Pick<ReferenceDataPort, 'account' | 'kommoUser'>;
  /** Queues the Won job (origin 'widget') for this deal and link key. */
  enqueue: (job: WidgetJob) => Promise<void>;
  log: Logger;
}
