/**
 * State of one mounted panel: the deal's links, the action in flight, the last action error, and
 * progress polling. After Create or Retry (and whenever a link is still being created) the lead is
 * re-read every `pollMs` until nothing is in progress, at most `maxPolls` times in a row.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { LinkView } from '../../../shared/api';
import { toBackendError, type BackendError } from '../api/backend-error';
import type { Backend, LeadView } from '../api/backend';

export type LeadState =
  | { kind: 'loading' }
  | { kind: 'error'; error: BackendError }
  | { kind: 'ready'; lead: LeadView };

export interface PollOptions {
  pollMs: number;
  maxPolls: number;
}
export const DEFAULT_POLL: PollOptions = { pollMs: 1500, maxPolls: 40 };

export interface LeadLinks {
  state: LeadState;
  /** `create`, `link`, `retry:<linkId>` or `unlink:<linkId>` while that call runs. */
  pending: string | null;
  actionError: BackendError | null;
  /** Polling gave up while something was still in progress. */
  stalled: boolean;
  reload(): void;
  dismissError(): void;
  create(): Promise<void>;
  retry(linkId: string): Promise<void>;
  unlink(linkId: string): Promise<void>;
  /** Resolves with the error to show next to the input, or null once linked. */
  link(issue: string): Promise<BackendError | null>;
}

const inProgress = (links: readonly LinkView[]) => links.some((l) => l.status === 'creating' || l.status === 'retrying');

function upsert(lead: LeadView, link: LinkView): LeadView {
  const known = lead.links.some((l) => l.linkId === link.linkId);
  const links = known ? lead.links.map((l) => (l.linkId === link.linkId ? link : l)) : [...lead.links, link];
  return { ...lead, links };
}

export function useLeadLinks(backend: Backend, leadId: number, poll: PollOptions = DEFAULT_POLL): LeadLinks {
  const [state, setState] = useState<LeadState>({ kind: 'loading' });
  const [pending, setPending] = useState<string | null>(null);
  const [actionError, setActionError] = useState<BackendError | null>(null);
  const [stalled, setStalled] = useState(false);
  const polls = useRef(0);
  const alive = useRef(true);
  const generation = useRef(0);

  const fetchLead = useCallback(
    async (showLoading: boolean) => {
      const mine = ++generation.current;
      if (showLoading) setState({ kind: 'loading' });
      try {
        const lead = await backend.getLead(leadId);
        if (alive.current && mine === generation.current) setState({ kind: 'ready', lead });
      } catch (error) {
        if (!alive.current || mine !== generation.current) return;
        if (showLoading) setState({ kind: 'error', error: toBackendError(error) });
        else setActionError(toBackendError(error));
      }
    },
    [backend, leadId],
  );

  useEffect(() => {
    alive.current = true;
    polls.current = 0;
    void fetchLead(true);
    return () => {
      alive.current = false;
    };
  }, [fetchLead]);

  // Keyed on `state` (a new object after every read), so each answer schedules the next poll.
  useEffect(() => {
    if (state.kind !== 'ready' || !inProgress(state.lead.links)) return undefined;
    if (polls.current >= poll.maxPolls) {
      setStalled(true);
      return undefined;
    }
    const timer = setTimeout(() => {
      polls.current += 1;
      void fetchLead(false);
    }, poll.pollMs);
    return () => clearTimeout(timer);
  }, [state, fetchLead, poll.pollMs, poll.maxPolls]);

  const follow = () => {
    polls.current = 0;
    setStalled(false);
  };

  const run = async <T>(name: string, action: () => Promise<T>, apply: (result: T) => void): Promise<BackendError | null> => {
    setPending(name);
    setActionError(null);
    try {
      const result = await action();
      if (alive.current) apply(result);
      return null;
    } catch (error) {
      return toBackendError(error);
    } finally {
      if (alive.current) setPending(null);
    }
  };

  const applyLink = (link: LinkView) => {
    follow();
    setState((current) => (current.kind === 'ready' ? { kind: 'ready', lead: upsert(current.lead, link) } : current));
  };
  const report = (error: BackendError | null) => {
    if (error && alive.current) setActionError(error);
  };

  return {
    state,
    pending,
    actionError,
    stalled,
    reload: () => {
      follow();
      setActionError(null);
      void fetchLead(state.kind !== 'ready');
    },
    dismissError: () => setActionError(null),
    create: async () => report(await run('create', () => backend.createIssue(leadId), applyLink)),
    retry: async (linkId) => report(await run(`retry:${linkId}`, () => backend.retry(leadId, linkId), applyLink)),
    unlink: async (linkId) =>
      report(
        await run(`unlink:${linkId}`, () => backend.unlink(leadId, linkId), () =>
          setState((current) =>
            current.kind === 'ready'
              ? { kind: 'ready', lead: { ...current.lead, links: current.lead.links.filter((l) => l.linkId !== linkId) } }
              : current,
          ),
        ),
      ),
    link: (issue) => run('link', () => backend.linkExisting(leadId, issue), applyLink),
  };
}
