/** What the Won flow needs: the installation, its links, and the Kommo and Linear calls it makes. */
import type { Installation } from '../../domain/installation';
import type { Logger } from '../../log';
import type { KommoPort, LinearPort, LinkStore, ReferenceDataPort } from '../ports';

export type {
  IssueCreateInput,
  KommoAccount,
  KommoContact,
  KommoCustomField,
  KommoLead,
  KommoPipeline,
  KommoUser,
  LinearState,
  LinearTeam,
  LinearTemplate,
  LinearUser,
} from '../ports';

export interface WonFlowDeps {
  installation: Installation;
  links: LinkStore;
  kommo: Pick<KommoPort, 'getLead' | 'getContact' | 'setLeadField' | 'addLeadNote' | 'listLeadNotes'>;
  linear: Pick<LinearPort, 'issue' | 'createIssueWithId' | 'upsertAttachment'>;
  referenceData: ReferenceDataPort;
  log: Logger;
  /** Records the Won → issue-and-write-backs latency. */
  observeLatency?: (ms: number) => void;
}

/** What planning an issue reads (the Won flow, and the settings page's preview). */
export interface PlanDeps {
  installation: Pick<Installation, 'kommoBaseUrl'>;
  kommo: Pick<KommoPort, 'getContact'>;
  referenceData: ReferenceDataPort;
}

/** The stage poll: lists leads in trigger stages and hands each (deal, rule) without an issue to the Won job. */
export interface PollWonDeps {
  installation: Installation;
  links: Pick<LinkStore, 'find'>;
  kommo: Pick<KommoPort, 'listLeads'>;
  referenceData: Pick<ReferenceDataPort, 'pipelines'>;
  cursor: number | null;
  saveCursor(cursor: number): Promise<void>;
  enqueueWon(leadId: number, linkKey: string): Promise<void>;
  now?: () => number;
}

/** A lead event of a Kommo webhook delivery, as the intake parsed it. */
export interface LeadEvent {
  kind: 'status' | 'add' | 'update' | 'delete';
  leadId: number;
  statusId: number | undefined;
  pipelineId: number | undefined;
}
