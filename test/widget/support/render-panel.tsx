/** Renders the Panel with a fake backend, a fixed clock and a language, as the widget would. */
import { render } from '@testing-library/preact';
import type { Language } from '../../../shared/kommo';
import type { PollOptions } from '../../../widget/src/state/use-lead-links';
import { createUi, UiContext } from '../../../widget/src/ui/context';
import { Panel } from '../../../widget/src/ui/Panel';
import type { FakeBackend } from './fake-backend';
import { NOW } from './fixtures';

export interface PanelOptions {
  leadId?: number;
  language?: Language;
  poll?: PollOptions;
}

export function renderPanel(backend: FakeBackend, options: PanelOptions = {}) {
  const ui = createUi(options.language ?? 'en', () => NOW);
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
