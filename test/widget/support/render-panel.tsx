/**
 * Renders the Panel with a fake backend, a fixed clock and a language, as the widget would: the
 * strings come from a stub Kommo `self` serving that language's locale file.
 */
import { render } from '@testing-library/preact';
import { createKommoHost } from '../../../widget/src/host/kommo-host';
import type { PollOptions } from '../../../widget/src/state/use-lead-links';
import { createUi, UiContext } from '../../../widget/src/ui/context';
import { Panel } from '../../../widget/src/ui/Panel';
import type { FakeBackend } from './fake-backend';
import { NOW } from './fixtures';
import { stubSelfPrototype, type StubSelfOptions } from './stub-self';

export interface PanelOptions {
  leadId?: number;
  /** Kommo's `APP.lang_id`; default `en`. */
  language?: string;
  /** What the host serves as the locale file instead of the language's own (StubSelfOptions.langs). */
  langs?: StubSelfOptions['langs'];
  poll?: PollOptions;
}

export function renderPanel(backend: FakeBackend, options: PanelOptions = {}) {
  const language = options.language ?? 'en';
  const host = createKommoHost(stubSelfPrototype({ language, langs: options.langs }), () => ({ lang_id: language }), document);
  const ui = createUi(host.language(), host.strings('panel'), () => NOW);
  return render(
    <UiContext.Provider value={ui}>
      <Panel
        backend={backend}
        leadId={options.leadId ?? 7}
        settingsUrl="/settings/widgets/lfk/"
        poll={options.poll ?? { pollMs: 10, maxPolls: 20 }}
      />
    </UiContext.Provider>,
  );
}
