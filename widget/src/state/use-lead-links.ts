/**
 * State of one mounted panel: the deal's links, the action in flight, the last action error, and
 * polling. While a link is being created the lead is re-read every `pollMs` (at most `maxPolls`
 * times in a row, then "still working"); otherwise every `liveMs`, so a change that reached the
 * server (a Linear webhook) shows without a reload. Each read is a conditional GET, mostly a 304.
 * Polling pauses while the page is hidden (and reads at once when it is shown again), stops on
 * unmount, and backs off (doubling up to `maxBackoffMs`) while reads fail.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { LinkView } from '../../../shared/api';
import { toBackendError, type BackendError } from '../api/backend-error';
import type { Backend, LeadView } from '../api/backend';
import { usePageVisible } from './use-page-visible';

export type LeadState =
  | { kind: 'loading' }
  | { kind: 'error'; error: BackendError }
  | { kind: 'ready'; lead: LeadView };

export interface PollOptions {
  pollMs: number;
  maxPolls: number;
  /** Between reads while nothing is in progress. */
  liveMs?: number;
  maxBackoffMs?: number;
}
export const DEFAULT_POLL: Required<PollOptions> = { pollMs: 1500, maxPolls: 40, liveMs: 3000, maxBackoffMs: 60_000 };

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
  /** Bumped after every background read, changed or not, so the next one gets scheduled. */
  const [reads, setReads] = useState(0);
  const visible = usePageVisible();
  const polls = useRef(0);
  const failures = useRef(0);
  const alive = useRef(true);
  const generation = useRef(0);
  const lastRead = useRef<LeadView | null>(null);
  const { liveMs = DEFAULT_POLL.liveMs, maxBackoffMs = DEFAULT_POLL.maxBackoffMs } = poll;

  /** `first`: show loading and errors in place; `progress`: errors as a notice; `live`: quiet. */
  const fetchLead = useCallback(
    async (mode: 'first' | 'progress' | 'live') => {
      const mine = ++generation.current;
      if (mode === 'first') setState({ kind: 'loading' });
      try {
        const lead = await backend.getLead(leadId);
        if (!alive.current || mine !== generation.current) return;
        failures.current = 0;
        // The same object means a 304: nothing to draw again.
        if (lead !== lastRead.current) setState({ kind: 'ready', lead });
        lastRead.current = lead;
      } catch (error) {
        if (!alive.current || mine !== generation.current) return;
        failures.current += 1;
        if (mode === 'first') setState({ kind: 'error', error: toBackendError(error) });
        else if (mode === 'progress') setActionError(toBackendError(error));
      } finally {
        if (alive.current && mine === generation.current && mode !== 'first') setReads((n) => n + 1);
      }
    },
    [backend, leadId],
  );

  useEffect(() => {
    alive.current = true;
    polls.current = 0;
    lastRead.current = null;
    void fetchLead('first');
    return () => {
      alive.current = false;
    };
  }, [fetchLead]);

  // Keyed on `state` and `reads`, so each answer (or 304, or failure) schedules the next read.
  useEffect(() => {
    if (state.kind !== 'ready' || !visible) return undefined;
    const busy = inProgress(state.lead.links);
    const following = busy && polls.current < poll.maxPolls;
    setStalled(busy && !following);
    const base = following ? poll.pollMs : liveMs;
    const delay = failures.current ? Math.min(maxBackoffMs, base * 2 ** failures.current) : base;
    const timer = setTimeout(() => {
      if (following) polls.current += 1;
      void fetchLead(following ? 'progress' : 'live');
    }, delay);
    return () => clearTimeout(timer);
  }, [state, reads, visible, fetchLead, poll.pollMs, poll.maxPolls, liveMs, maxBackoffMs]);

  // Shown again after a while in the background: read at once rather than a period later.
  const wasVisible = useRef(visible);
  useEffect(() => {
    if (visible && !wasVisible.current && state.kind === 'ready') void fetchLead('live');
    wasVisible.current = visible;
  }, [visible, fetchLead, state.kind]);

  const follow = () => {
    polls.current = 0;
    setStalled(false);
  };

  const run = async <T>(name: string, action: () => Promise<T>, apply: (result: T) => void): Promise<BackendError | null> => {
    setPending(name);
    setActionError(null);
    try {
      const result = await action();
      // A read that started before this answer may predate it: drop it, the next one will do.
      generation.current += 1;
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
      void fetchLead(state.kind !== 'ready' ? 'first' : 'progress');
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
