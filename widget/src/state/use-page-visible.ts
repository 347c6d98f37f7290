/**
 * Whether the page is visible: false while the tab is in the background or minimised, so the
 * card stops polling (https://developer.mozilla.org/en-US/docs/Web/API/Document/visibilitychange_event).
 */
import { useEffect, useState } from 'preact/hooks';

export function usePageVisible(doc: Document | undefined = typeof document === 'undefined' ? undefined : document): boolean {
  const [visible, setVisible] = useState(() => !doc?.hidden);
  useEffect(() => {
    if (!doc) return undefined;
    const update = () => setVisible(!doc.hidden);
    doc.addEventListener('visibilitychange', update);
    update();
    return () => doc.removeEventListener('visibilitychange', update);
  }, [doc]);
  return visible;
}
