/**
 * An in-memory `Backend` for component tests. Each method answers from a queue of scripted
 * results (or a default), records its calls, and can be made to hang for loading states.
 */
import type { LinkView } from '../../../shared/api';
import type { Backend, LeadView, SearchResult } from '../../../widget/src/api/backend';
import { BackendError, type BackendErrorKind } from '../../../widget/src/api/backend-error';

type Answer<T> = T | BackendError | 'hang';
type Method = keyof Backend;

export class FakeBackend implements Backend {
  readonly calls: Array<{ method: Method; args: unknown[] }> = [];
  leads: Array<Answer<LeadView>> = [];
  lastLead: LeadView | null = null;
  linkAnswers: Array<Answer<LinkView>> = [];
  searchAnswers: Array<Answer<SearchResult[]>> = [];
  unlinkAnswers: Array<Answer<void>> = [];

  constructor(...leads: Array<Answer<LeadView>>) {
    this.leads = leads;
  }

  private answer<T>(queue: Array<Answer<T>>, fallback: () => Answer<T>): Promise<T> {
    const next = queue.length > 1 ? queue.shift() : (queue[0] ?? fallback());
    if (next === 'hang') return new Promise<T>(() => undefined);
    if (next instanceof BackendError) return Promise.reject(next);
    return Promise.resolve(next as T);
  }

  getLead = (leadId: number) => {
    this.calls.push({ method: 'getLead', args: [leadId] });
    return this.answer(this.leads, () => new BackendError('network', 'no lead scripted'));
  };
  createIssue = (leadId: number) => {
    this.calls.push({ method: 'createIssue', args: [leadId] });
    return this.answer(this.linkAnswers, () => new BackendError('network', 'no link scripted'));
  };
  linkExisting = (leadId: number, issue: string) => {
    this.calls.push({ method: 'linkExisting', args: [leadId, issue] });
    return this.answer(this.linkAnswers, () => new BackendError('network', 'no link scripted'));
  };
  retry = (leadId: number, linkId: string) => {
    this.calls.push({ method: 'retry', args: [leadId, linkId] });
    return this.answer(this.linkAnswers, () => new BackendError('network', 'no link scripted'));
  };
  unlink = (leadId: number, linkId: string) => {
    this.calls.push({ method: 'unlink', args: [leadId, linkId] });
    return this.answer<void>(this.unlinkAnswers, () => undefined);
  };
  search = (query: string) => {
    this.calls.push({ method: 'search', args: [query] });
    return this.answer(this.searchAnswers, () => []);
  };

  callsOf(method: Method): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }
}

export function backendError(kind: BackendErrorKind, message: string = kind, status = 0): BackendError {
  return new BackendError(kind, message, status);
}
