/**
 * Users: every Kommo user with the Linear user they resolve to (by email or by override).
 * Unmatched users are highlighted; picking a Linear user writes an override, "By email" removes it.
 */
import type { SettingsInput, SettingsView } from '../../../shared/settings-api';
import { useSettingsUi } from './context';
import { controlId } from './controls';
import type { SettingsForm } from './form';

type KommoUser = SettingsView['kommo']['users'][number];
type Override = SettingsInput['userOverrides'][number];

/** An override names the Kommo user by id or email. */
function isFor(override: Override, user: KommoUser): boolean {
  if (typeof override.kommo === 'number') return override.kommo === user.id;
  return override.kommo === String(user.id) || (user.email !== null && override.kommo.toLowerCase() === user.email.toLowerCase());
}

export function UsersSection({ form }: { form: SettingsForm }) {
  const { t } = useSettingsUi();
  const { view, draft, errors, update } = form;
  const linearUsers = view.linear.users;
  const nameOf = (id: string | null) => {
    const user = id ? linearUsers.find((u) => u.id === id || (u.email !== null && u.email.toLowerCase() === id.toLowerCase())) : undefined;
    return user?.name ?? id;
  };
  const setOverride = (user: KommoUser, linear: string) =>
    update((d) => {
      const rest = d.userOverrides.filter((o) => !isFor(o, user));
      return { ...d, userOverrides: linear ? [...rest, { kommo: user.id, linear }] : rest };
    });

  return (
    <section class="lfk-section" aria-labelledby="lfk-s-h-users">
      <h2 id="lfk-s-h-users" class="lfk-h2">{t('users_title')}</h2>
      <table class="lfk-table">
        <thead>
          <tr>
            <th scope="col">{t('users_kommo')}</th>
            <th scope="col">{t('users_linear')}</th>
            <th scope="col">{t('users_override')}</th>
          </tr>
        </thead>
        <tbody>
          {view.kommo.users.map((user) => {
            const index = draft.userOverrides.findIndex((o) => isFor(o, user));
            const override = draft.userOverrides[index];
            const linearId = override ? override.linear : user.matchedBy === 'override' ? null : user.linearUserId;
            const matched = linearId !== null;
            const id = controlId(`users.${user.id}`);
            const error = index >= 0 ? errors[`userOverrides.${index}.linear`] ?? errors[`userOverrides.${index}.kommo`] : undefined;
            return (
              <tr key={user.id} class={matched ? '' : 'lfk-unmatched'} data-testid={`user-${user.id}`} data-matched={String(matched)}>
                <td>
                  <div>{user.name}</div>
                  {user.email && <div class="lfk-muted">{user.email}</div>}
                </td>
                <td>
                  {matched ? (
                    <>
                      {nameOf(linearId)} <span class="lfk-muted">· {t(override ? 'matched_override' : 'matched_email')}</span>
                    </>
                  ) : (
                    <span class="lfk-warn-text">{t('unmatched')}</span>
                  )}
                </td>
                <td>
                  <label class="lfk-sr" for={id}>{t('override_for', { name: user.name })}</label>
                  <select id={id} class="lfk-input" value={override?.linear ?? ''} aria-invalid={Boolean(error)}
                    onChange={(event) => setOverride(user, event.currentTarget.value)}>
                    <option value="">{t('override_none')}</option>
                    {override && !linearUsers.some((u) => u.id === override.linear) && <option value={override.linear}>{override.linear}</option>}
                    {linearUsers.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.email ? `${u.name} (${u.email})` : u.name}
                      </option>
                    ))}
                  </select>
                  {error && <div class="lfk-field-error" role="alert">{error}</div>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
