/**
 * The settings form: a draft of `SettingsInput` next to the saved copy, dirtiness, and errors by
 * dotted path (client checks with the shared schema, or the server's 400 `field`).
 */
import { useState } from 'preact/hooks';
import { SettingsInputSchema, type SettingsInput, type SettingsView } from '../../../shared/settings-api';

export type Errors = Record<string, string>;
export type Update = (change: (draft: SettingsInput) => SettingsInput) => void;

/** Options a select offers: id, key or name can name the same thing in saved settings. */
export interface Choice {
  id: string;
  name: string;
  key?: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The choice a saved value refers to (by id, key or name, like the server resolves it). */
export function findChoice<C extends Choice>(choices: C[], value: string | undefined): C | undefined {
  if (!value) return undefined;
  return choices.find((c) => c.id === value) ?? choices.find((c) => (c.key !== undefined && same(c.key, value)) || same(c.name, value));
}

/** Paths the shared schema rejects, e.g. `priorityTags.0.tag`. */
export function invalidPaths(draft: SettingsInput): string[] {
  const result = SettingsInputSchema.safeParse(draft);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.map(String).join('.'));
}

/** Replaces element `index` of `list`. */
export function replaceAt<T>(list: T[], index: number, item: T): T[] {
  return list.map((current, i) => (i === index ? item : current));
}

export function removeAt<T>(list: T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

export interface SettingsForm {
  view: SettingsView;
  draft: SettingsInput;
  dirty: boolean;
  /** The server's errors from the last save (cleared by any edit), then the schema's, live. */
  errors: Errors;
  update: Update;
  setServerErrors: (errors: Errors) => void;
  /** A fresh view from the server; the draft follows it unless it has unsaved changes (or `reset`). */
  accept: (view: SettingsView, reset?: boolean) => void;
}

export function useSettingsForm(initial: SettingsView, invalidMessage: string): SettingsForm {
  const [view, setView] = useState(initial);
  const [saved, setSaved] = useState(initial.settings);
  const [draft, setDraft] = useState(initial.settings);
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const errors: Errors = { ...serverErrors };
  for (const path of invalidPaths(draft)) errors[path] ??= invalidMessage;
  return {
    view,
    draft,
    dirty,
    errors,
    setServerErrors,
    update(change) {
      setServerErrors({});
      setDraft((current) => change(current));
    },
    accept(next, reset = false) {
      setView(next);
      setSaved(next.settings);
      if (reset || !dirty) setDraft(next.settings);
    },
  };
}
