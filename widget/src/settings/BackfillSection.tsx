/**
 * Backfill: count the deals of a date range that would get issues (the first 20 listed), start
 * the run, follow its progress (n of N, errors) while the page is open, cancel it. The server
 * does the work: closing the page does not stop it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BackfillDryRunResponse, BackfillRequest, BackfillRunView } from '../../../shared/backfill-api';
import { toBackendError } from '../api/backend-error';
import type { BackfillBackend } from './backfill-api';
import { useSettingsUi } from './context';
import { Section, TextInput } from './controls';

const POLL_MS = 2000;
const STATUS_KEYS = { running: 'backfill_running', done: 'backfill_done', cancelled: 'backfill_cancelled', failed: 'backfill_failed' } as const;

export function BackfillSection({ backend, readOnly }: { backend: BackfillBackend | undefined; readOnly: boolean }) {
  const { t, errorText } = useSettingsUi();
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [dry, setDry] = useState<BackfillDryRunResponse | null>(null);
  const [run, setRun] = useState<BackfillRunView | null>(null);

  const running = run?.status === 'running';
  useEffect(() => {
    if (!backend) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      backend.current().then(
        (current) => {
          if (stopped) return;
          setRun(current);
          if (current?.status === 'running') timer = setTimeout(poll, POLL_MS);
        },
        () => undefined,
      );
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [backend, running]);
  if (!backend) return null;

  const range = (): BackfillRequest => ({ since: since.trim(), ...(until.trim() ? { until: until.trim() } : {}) });
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(errorText(toBackendError(failure)));
    } finally {
      setBusy(false);
    }
  };
  const count = () => act(async () => setDry(await backend.dryRun(range())));
  const start = () => act(async () => (setRun(await backend.start(range())), setDry(null)));
  const cancel = () => act(async () => setRun(await backend.cancel()));

  return (
    <Section id="backfill" title={t('backfill_title')}>
      <p class="lfk-muted">{t('backfill_hint')}</p>
      <div class="lfk-row lfk-inline-form">
        <TextInput path="backfill.since" label={t('backfill_since')} value={since} onInput={setSince} placeholder="2026-01-01" error={error} />
        <TextInput path="backfill.until" label={t('backfill_until')} value={until} onInput={setUntil} placeholder="2026-03-31" />
        <button type="button" class="lfk-btn" disabled={readOnly || busy || running || !since.trim()} onClick={() => void count()}>
          {busy && !dry ? t('backfill_counting') : t('backfill_dry_run')}
        </button>
      </div>
      {dry && (
        <div data-testid="backfill-dry-run">
          <p>{t('backfill_count', { count: dry.count })}</p>
          {dry.first.length > 0 && (
            <>
              <p class="lfk-muted">{t('backfill_first', { n: dry.first.length })}</p>
              <ul>
                {dry.first.map((c) => (
                  <li key={`${c.leadId}:${c.linkKey}`}>#{c.leadId} {c.name}</li>
                ))}
              </ul>
            </>
          )}
          <button type="button" class="lfk-btn lfk-primary" disabled={readOnly || busy || running || dry.count === 0} onClick={() => void start()}>
            {t('backfill_start')}
          </button>
        </div>
      )}
      {run && (
        <div class="lfk-notice" role="status" data-testid="backfill-progress">
          <strong>{t(STATUS_KEYS[run.status])}</strong>{' '}
          {run.listed ? t('backfill_progress', { done: run.done, total: run.total, errors: run.errors }) : t('backfill_finding', { total: run.total })}
          {run.errorMessage && <div class="lfk-error">{run.errorMessage}</div>}
          {running && (
            <div class="lfk-row">
              <button type="button" class="lfk-btn" disabled={readOnly || busy} onClick={() => void cancel()}>{t('backfill_cancel')}</button>
            </div>
          )}
        </div>
      )}
    </Section>
  );
}
