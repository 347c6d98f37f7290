/**
 * Form controls of the settings page: a labelled select and text input with an inline error and
 * hint, keyed by the setting's dotted path (`rules.0.team`), which is also the server's `field`.
 */
import type { ComponentChildren } from 'preact';

export interface Option {
  value: string;
  label: string;
}

export const controlId = (path: string) => `lfk-s-${path.replace(/\./g, '-')}`;

interface FieldProps {
  path: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ComponentChildren;
}

/** Label, control, then the error (role=alert) or hint under it. */
export function Field({ path, label, error, hint, children }: FieldProps) {
  const id = controlId(path);
  const note = error ?? hint;
  return (
    <div class="lfk-field">
      <label class="lfk-label" for={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), ...(note ? { 'aria-describedby': `${id}-note` } : {}) })}
      {error ? (
        <div id={`${id}-note`} class="lfk-field-error" role="alert">
          {error}
        </div>
      ) : (
        hint && <div id={`${id}-note`} class="lfk-muted">{hint}</div>
      )}
    </div>
  );
}

interface SelectProps {
  path: string;
  label: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
}

export function Select({ path, label, value, options, onChange, error, hint }: SelectProps) {
  return (
    <Field path={path} label={label} error={error} hint={hint}>
      {(aria) => (
        <select {...aria} class="lfk-input" value={value} onChange={(event) => onChange(event.currentTarget.value)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface TextProps {
  path: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  /** `password` hides the text; `numeric` brings up a number keyboard. */
  kind?: 'text' | 'password' | 'numeric';
  placeholder?: string;
}

export function TextInput({ path, label, value, onInput, error, kind = 'text', placeholder }: TextProps) {
  return (
    <Field path={path} label={label} error={error}>
      {(aria) => {
        const props = {
          ...aria,
          class: 'lfk-input',
          value,
          autoComplete: 'off',
          placeholder,
          onInput: (event: { currentTarget: HTMLInputElement }) => onInput(event.currentTarget.value),
        };
        return kind === 'password' ? <input type="password" {...props} /> : <input type="text" inputMode={kind === 'numeric' ? 'numeric' : 'text'} {...props} />;
      }}
    </Field>
  );
}

/** A labelled checkbox. */
export function Toggle({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label class="lfk-check">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />
      {label}
    </label>
  );
}

/** One section of the page with a heading. */
export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="lfk-section" aria-labelledby={`lfk-s-h-${id}`}>
      <h2 id={`lfk-s-h-${id}`} class="lfk-h2">
        {title}
      </h2>
      {children}
    </section>
  );
}
