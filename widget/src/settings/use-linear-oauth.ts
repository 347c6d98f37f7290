/**
 * "Connect Linear" in a popup. The server hands out a single-use state and Linear's consent URL;
 * the popup ends on our callback page, which posts Linear's code and the state to this page and
 * closes; this page finishes the connection with its own one-time token. Only a message from our
 * server's origin, in our shape, is believed. The popup is opened inside the
 * click (before any await) so popup blockers let it through; when one blocks it anyway, the page
 * offers the consent URL as a link. Closing the popup without approving just reloads the data.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { LinearOAuthMessageSchema } from '../../../shared/linear-oauth-api';
import { toBackendError, type BackendError } from '../api/backend-error';
import type { SettingsBackend } from './api';

const POPUP_FEATURES = 'popup,width=600,height=760';
const WATCH_MS = 500;

export interface LinearOAuthFlow {
  start(): void;
  busy: boolean;
  error: BackendError | undefined;
  /** The consent URL, when the browser blocked the popup: shown as a link to open. */
  blockedUrl: string | undefined;
}

export function useLinearOAuth(backend: SettingsBackend, onDone: () => Promise<void>): LinearOAuthFlow {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BackendError | undefined>(undefined);
  const [blockedUrl, setBlockedUrl] = useState<string | undefined>(undefined);
  const watch = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  // The message listener lives as long as the page: it must call the latest onDone, not the first.
  const done = useRef(onDone);
  done.current = onDone;

  const stopWatching = () => {
    if (watch.current !== undefined) clearInterval(watch.current);
    watch.current = undefined;
  };
  const finish = () => {
    stopWatching();
    setBusy(false);
    setBlockedUrl(undefined);
    void done.current();
  };

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== backend.serverOrigin()) return;
      const message = LinearOAuthMessageSchema.safeParse(event.data);
      if (!message.success) return;
      // The popup closes itself now: finishing, not its closing, ends the wait.
      stopWatching();
      setBusy(true);
      backend.completeLinearOAuth(message.data.code, message.data.state).then(finish, (failure: unknown) => {
        setBusy(false);
        setError(toBackendError(failure));
      });
    };
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('message', onMessage);
      stopWatching();
    };
  }, [backend]);

  const start = () => {
    if (busy) return;
    const popup = window.open('', 'lfk-linear-oauth', POPUP_FEATURES);
    setBusy(true);
    setError(undefined);
    backend.startLinearOAuth().then(
      ({ authorizeUrl }) => {
        if (!popup || popup.closed) {
          // The link is the way on now; the button works again in case it is never followed.
          setBusy(false);
          setBlockedUrl(authorizeUrl);
          return;
        }
        popup.location.href = authorizeUrl;
        watch.current = setInterval(() => {
          if (popup.closed) finish();
        }, WATCH_MS);
      },
      (failure: unknown) => {
        popup?.close();
        setBusy(false);
        setError(toBackendError(failure));
      },
    );
  };

  return { start, busy, error, blockedUrl };
}
