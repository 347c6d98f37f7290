/**
 * Renders the settings page (or the modal summary) with a fake backend, as settings.js would: the
 * strings come from a stub Kommo `self` serving the language's locale file.
 */
import { render } from '@testing-library/preact';
import { createKommoHost } from '../../../widget/src/host/kommo-host';
import { createSettingsUi, SettingsUiContext } from '../../../widget/src/settings/context';
import { SettingsPage } from '../../../widget/src/settings/SettingsPage';
import { SettingsSummary } from '../../../widget/src/settings/SettingsSummary';
import type { FakeSettingsBackend } from './fake-settings-backend';
import { stubSelfPrototype, type StubSelfOptions } from './stub-self';

/** `language`: Kommo's `APP.lang_id`; `langs`: what the host serves instead of its locale file. */
function settingsUi(language: string, langs?: StubSelfOptions['langs']) {
  const host = createKommoHost(stubSelfPrototype({ language, langs }), () => ({ lang_id: language }), document);
  return createSettingsUi(host.language(), host.strings);
}

export function renderSettings(backend: FakeSettingsBackend, language = 'en', langs?: StubSelfOptions['langs']) {
  return render(
    <SettingsUiContext.Provider value={settingsUi(language, langs)}>
      <SettingsPage backend={backend} />
    </SettingsUiContext.Provider>,
  );
}

export function renderSummary(backend: FakeSettingsBackend, language = 'en') {
  return render(
    <SettingsUiContext.Provider value={settingsUi(language)}>
      <SettingsSummary backend={backend} pageUrl="/settings/widgets/lfk/" />
    </SettingsUiContext.Provider>,
  );
}
