/**
 * Linear Customers (opt-in): the deal's company as a Linear customer, the deal as a customer
 * request. Offered only where the workspace's plan has the feature; otherwise shown disabled
 * with Linear's reason.
 */
import { useState } from 'preact/hooks';
import type { CustomersInput } from '../../../shared/settings-api';
import { useSettingsUi } from './context';
import { Section, TextInput, Toggle } from './controls';
import type { SettingsForm } from './form';

/** The server's default (server/domain/settings.ts), for settings saved before the option existed. */
const DEFAULT: CustomersInput = { enabled: false };

type TierTags = NonNullable<CustomersInput['tierRule']>['tags'];

/** "vip=Enterprise, smb=SMB" ⇄ the tag rules; a part without "=" or with an empty side is dropped. */
export function parseTierTags(text: string): TierTags {
  return text
    .split(',')
    .map((part) => part.split('=').map((s) => s.trim()))
    .filter((p): p is [string, string] => p.length === 2 && p[0] !== '' && p[1] !== '')
    .map(([tag, tier]) => ({ tag, tier }));
}
const tierTagsText = (tags: TierTags) => tags.map((t) => `${t.tag}=${t.tier}`).join(', ');

export function CustomersSection({ form }: { form: SettingsForm }) {
  const { t } = useSettingsUi();
  const { draft, errors, update, view } = form;
  const customers = draft.customers ?? DEFAULT;
  const availability = view.linear.customers;
  const available = availability?.available !== false;
  const rule = customers.tierRule ?? { tags: [] };
  // The text as typed ("vip=" while typing); the draft holds only the complete tag rules.
  const [tagsText, setTagsText] = useState(tierTagsText(rule.tags));
  const set = (change: Partial<CustomersInput>) => update((d) => ({ ...d, customers: { ...(d.customers ?? DEFAULT), ...change } }));
  const setRule = (change: Partial<typeof rule>) => {
    const next = { ...rule, ...change };
    const empty = next.tags.length === 0 && !next.field;
    update((d) => {
      const { tierRule: _old, ...rest } = d.customers ?? DEFAULT;
      return { ...d, customers: empty ? rest : { ...rest, tierRule: next } };
    });
  };
  return (
    <Section id="customers" title={t('customers_title')}>
      <div data-testid="customers">
        {available ? (
          <Toggle label={t('customers_enabled')} checked={customers.enabled} onChange={(enabled) => set({ enabled })} />
        ) : (
          <>
            <label class="lfk-check lfk-muted">
              <input type="checkbox" checked={false} disabled />
              {t('customers_enabled')}
            </label>
            <p class="lfk-muted" data-testid="customers-unavailable">{t('customers_unavailable', { reason: availability?.reason ?? '' })}</p>
          </>
        )}
        {available && customers.enabled && (
          <>
            <TextInput
              path="customers.tierRule.tags"
              label={t('customers_tier_tags')}
              value={tagsText}
              error={errors['customers.tierRule.tags']}
              onInput={(text) => {
                setTagsText(text);
                setRule({ tags: parseTierTags(text) });
              }}
            />
            <TextInput
              path="customers.tierRule.field"
              label={t('customers_tier_field')}
              value={rule.field ?? ''}
              error={errors['customers.tierRule.field']}
              onInput={(field) => setRule(field.trim() ? { field } : { field: undefined })}
            />
            <p class="lfk-muted">{t('customers_hint')}</p>
          </>
        )}
      </div>
    </Section>
  );
}
