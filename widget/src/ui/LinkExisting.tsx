/**
 * "Link existing": one input that takes an identifier (ENG-42), an issue URL, or search words.
 * Enter on an identifier or URL links it at once; other text searches, and a result links on click.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { isIssueIdentifier } from '../../../shared/issues';
import { toBackendError, type BackendError } from '../api/backend-error';
import type { Backend, SearchResult } from '../api/backend';
import { useUi } from './context';
import { errorMessage } from './error-message';

export interface LinkExistingProps {
  search: Backend['search'];
  onLink: (issue: string) => Promise<BackendError | null>;
  onClose: () => void;
}

type Results = { query: string; items: SearchResult[] } | null;

const isDirect = (text: string) => isIssueIdentifier(text) || /^https?:\/\//i.test(text);

export function LinkExisting({ search, onLink, onClose }: LinkExistingProps) {
  const { t } = useUi();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState<'search' | 'link' | null>(null);
  const [results, setResults] = useState<Results>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const alive = useRef(true);

  useEffect(() => {
    input.current?.focus();
    return () => {
      alive.current = false;
    };
  }, []);

  const link = async (issue: string) => {
    setBusy('link');
    setError(null);
    const failure = await onLink(issue);
    if (!alive.current) return;
    setBusy(null);
    if (failure) setError(failure);
    else onClose();
  };

  const runSearch = async (query: string) => {
    setBusy('search');
    setError(null);
    try {
      const items = await search(query);
      if (alive.current) setResults({ query, items });
    } catch (failure) {
      if (alive.current) setError(toBackendError(failure));
    } finally {
      if (alive.current) setBusy(null);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const value = text.trim();
    if (!value || busy) return;
    void (isDirect(value) ? link(isIssueIdentifier(value) ? value.toUpperCase() : value) : runSearch(value));
  };

  const direct = isDirect(text.trim());
  return (
    <form
      class="lfk-linker"
      onSubmit={submit}
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
      aria-busy={busy !== null}
    >
      <label class="lfk-label" for="lfk-link-input">
        {t('link_label')}
      </label>
      <input
        id="lfk-link-input"
        ref={input}
        class="lfk-input"
        type="text"
        autoComplete="off"
        value={text}
        placeholder={t('link_placeholder')}
        onInput={(event) => setText(event.currentTarget.value)}
      />
      <div class="lfk-row">
        <button type="submit" class="lfk-btn lfk-primary" disabled={busy !== null || !text.trim()}>
          {direct ? t('link_submit') : t('search_submit')}
        </button>
        <button type="button" class="lfk-btn" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
      {busy === 'search' && <div class="lfk-muted" role="status">{t('searching')}</div>}
      {error && (
        <div class="lfk-notice lfk-error" role="alert">
          {errorMessage(error, t)}
        </div>
      )}
      {results && results.items.length === 0 && (
        <div class="lfk-muted" role="status">{t('no_results', { query: results.query })}</div>
      )}
      {results && results.items.length > 0 && (
        <ul class="lfk-results" aria-label={t('search_results')}>
          {results.items.map((item) => (
            <li key={item.issueId}>
              <button type="button" disabled={busy !== null} onClick={() => void link(item.identifier)}>
                <b>{item.identifier}</b> {item.title}
                {item.state && <span class="lfk-muted"> · {item.state.name}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
