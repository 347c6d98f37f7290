/** Renders the settings page (or the modal summary) with a fake backend, as settings.js would. */
import { render } from '@testing-library/preact';
import type { Language } from '../../../shared/kommo';
import { createSettingsUi, SettingsUiContext } from '../../../widget/src/settings/context';
import { SettingsPage } from '../../../widget/src/settings/SettingsPage';
import { SettingsSummary } from '../../../widget/src/settings/SettingsSummary';
import type { FakeSettingsBackend } from './fake-settings-backend';

export function renderSettings(backend: FakeSettingsBackend, language: Language = 'en') {
  return render(
    <SettingsUiContext.Provider value={createSettingsUi(language)}>
      <SettingsPage backend={backend} />
    </SettingsUiContext.Provider>,
  );
}

export function renderSummary(backend: FakeSettingsBackend, language: Language = 'en') {
  return render(
    <SettingsUiContext.Provider value={createSettingsUi(language)}>
      <SettingsSummary backend={backend} pageUrl="/settings/widgets/lfk/" />
    </SettingsUiContext.Provider>,
  );
}
