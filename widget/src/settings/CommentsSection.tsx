/** Comments both ways (opt-in): Linear comments as deal notes, and deal notes with a prefix as Linear comments. */
import type { SettingsInput } from '../../../shared/settings-api';
import { useSettingsUi } from './context';
import { Section, TextInput, Toggle } from './controls';
import type { SettingsForm } from './form';

type Comments = NonNullable<SettingsInput['comments']>;
/** The server's defaults (server/domain/settings.ts), for settings saved before the option existed. */
const DEFAULT: Comments = { enabled: false, prefix: '#linear' };

export function CommentsSection({ form }: { form: SettingsForm }) {
  const { t } = useSettingsUi();
  const { draft, errors, update } = form;
  const comments = draft.comments ?? DEFAULT;
  const set = (change: Partial<Comments>) => update((d) => ({ ...d, comments: { ...(d.comments ?? DEFAULT), ...change } }));
  return (
    <Section id="comments" title={t('comments_title')}>
      <div data-testid="comments">
        <Toggle label={t('comments_enabled')} checked={comments.enabled} onChange={(enabled) => set({ enabled })} />
        {comments.enabled && (
          <>
            <TextInput path="comments.prefix" label={t('comments_prefix')} value={comments.prefix} error={errors['comments.prefix']} onInput={(prefix) => set({ prefix })} />
            <p class="lfk-muted">{t('comments_hint', { prefix: comments.prefix || DEFAULT.prefix })}</p>
          </>
        )}
      </div>
    </Section>
  );
}
