/** What every component needs besides its props: strings, the language and the clock. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language } from '../../../shared/kommo';
import { createTranslator, type HostStrings, type Translate } from '../i18n/messages';

export interface Ui {
  t: Translate;
  language: Language;
  now: () => Date;
}

/** `strings`: the host's `panel` group for `language` (KommoHost.strings); undefined = English. */
export function createUi(language: Language, strings?: HostStrings, now: () => Date = () => new Date()): Ui {
  return { t: createTranslator(strings), language, now };
}

export const UiContext = createContext<Ui>(createUi('en'));

export function useUi(): Ui {
  return useContext(UiContext);
}
