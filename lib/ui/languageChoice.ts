// The user's choice of UI language (options → Language), for the whole extension: extension
// pages, the background (context menu, badge titles) and the content script (the in-page
// button). browser.storage.local holds it: the one store all three can read (localStorage
// and IndexedDB belong to the extension's origin, which a content script is not in).
// Nothing stored means "follow the browser". Content scripts can read all of storage.local:
// keep nothing private there (reports, tokens and settings stay in the background's IndexedDB).
//
// Builds before this kept the choice in the extension pages' localStorage; the first
// extension page opened after the update moves it over (once: the old copy is removed).
import { type MessageKey, formatMessage, readUiLanguagePreference, UI_LANGUAGE_STORAGE_KEY, UI_LANGUAGES, type UiLanguage } from './i18n';

/** The storage.local key (the content script reads it under the same name). */
export const UI_LANGUAGE_KEY = 'ui_language';

/** What we use of a `browser.storage` area (tests pass fakeBrowser's). */
export interface ChoiceArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

const local = (): ChoiceArea => browser.storage.local as unknown as ChoiceArea;

export function asUiLanguage(value: unknown): UiLanguage | undefined {
  return UI_LANGUAGES.find((language) => language === value);
}

let settled: UiLanguage | undefined;

/** The user's choice (`undefined`: the browser's language), as stored now. */
export async function readUiLanguageChoice(area: ChoiceArea = local()): Promise<UiLanguage | undefined> {
  return asUiLanguage((await area.get(UI_LANGUAGE_KEY))[UI_LANGUAGE_KEY]);
}

/**
 * An extension page, before its first render: the choice from storage.local, after moving an
 * older build's localStorage copy there (only when storage.local has none, and only once).
 * Storage that can't be read leaves the browser's language, and the old copy in place.
 */
export async function settleUiLanguageChoice(
  area: ChoiceArea = local(),
  legacy: Pick<Storage, 'getItem' | 'removeItem'> | undefined = globalThis.localStorage,
): Promise<UiLanguage | undefined> {
  try {
    const stored = (await area.get(UI_LANGUAGE_KEY))[UI_LANGUAGE_KEY];
    if (stored !== undefined) settled = asUiLanguage(stored);
    else {
      settled = readUiLanguagePreference(legacy);
      if (settled) await area.set({ [UI_LANGUAGE_KEY]: settled });
    }
    legacy?.removeItem(UI_LANGUAGE_STORAGE_KEY);
  } catch (error) {
    console.warn('Sounds Local: could not read the chosen UI language; using the browser’s.', error);
  }
  return settled;
}

/** The choice this page was rendered with (`settleUiLanguageChoice`), for the options' selector. */
export function settledUiLanguageChoice(): UiLanguage | undefined {
  return settled;
}

/** Remember the user's choice (`undefined` = follow the browser). Every part of the UI follows it. */
export async function writeUiLanguageChoice(language: UiLanguage | undefined, area: ChoiceArea = local()): Promise<void> {
  if (language) await area.set({ [UI_LANGUAGE_KEY]: language });
  else await area.remove(UI_LANGUAGE_KEY);
  settled = language;
}

/** The strings the in-page button uses: the content script asks the background for them in the chosen language. */
export const CONTENT_STRING_KEYS = [
  'buttonLabel',
  'buttonTitle',
  'hintSaved',
  'hintSavedOpenPopup',
  'hintFailed',
  'hintTooLong',
] as const satisfies readonly MessageKey[];
export type ContentStrings = Record<(typeof CONTENT_STRING_KEYS)[number], string>;

type LocaleMessages = Record<string, Parameters<typeof formatMessage>[0] | undefined>;

/**
 * The content strings from a messages file, with the placeholders resolved to `$1`, `$2`
 * (`hintTooLong`'s length and limit, filled in by the content script). A key the file lacks
 * keeps the browser's string (`fallback`).
 */
export function contentStringsFrom(messages: LocaleMessages, fallback: (key: MessageKey) => string): ContentStrings {
  const strings = {} as ContentStrings;
  for (const key of CONTENT_STRING_KEYS) {
    const entry = messages[key];
    strings[key] = entry ? formatMessage(entry, ['$1', '$2']) : fallback(key);
  }
  return strings;
}

/**
 * Where the background keeps the in-page button's strings in the chosen language (written
 * whenever it applies a choice), so a chatbot page opened while the service worker is stopped
 * reads them with the choice instead of waking the worker to ask. Nothing private.
 */
export const UI_STRINGS_KEY = 'ui_content_strings';

/** The stored strings, if they are complete and for `language`; otherwise ask the background. */
export function cachedContentStrings(stored: unknown, language: string): ContentStrings | undefined {
  if (!stored || typeof stored !== 'object') return undefined;
  const { language: of, strings } = stored as { language?: unknown; strings?: Record<string, unknown> };
  if (of !== language || !strings || typeof strings !== 'object') return undefined;
  return CONTENT_STRING_KEYS.every((key) => typeof strings[key] === 'string') ? (strings as ContentStrings) : undefined;
}
