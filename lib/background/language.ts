// The background in the user's UI language (lib/ui/languageChoice.ts): its own strings (the
// context-menu item, the toolbar button's titles) go through t(), which speaks the choice once
// it is loaded, at start-up and again whenever the choice changes; and the in-page button's
// strings, which content scripts ask for when the choice isn't the browser's language.
import { fetchLocaleMessages, loadUiLanguage, type MessageKey, type UiLanguage } from '../ui/i18n';
import { type ChoiceArea, type ContentStrings, contentStringsFrom, readUiLanguageChoice, UI_LANGUAGE_KEY, UI_STRINGS_KEY } from '../ui/languageChoice';

export interface BackgroundLanguageDeps {
  area: ChoiceArea;
  /** `browser.storage.onChanged`. */
  onChanged: { addListener(listener: (changes: Record<string, unknown>, areaName: string) => void): void };
  /** Called once t() speaks the choice: at start-up and after each change (re-title the menu and the badge). */
  onLanguage: () => void;
  /** A shipped locale's messages file by folder name (`zh_TW`). */
  fetchMessages?: (folder: string) => Promise<unknown>;
  /** The browser's own string for a key (`browser.i18n.getMessage`), where a file lacks one. */
  nativeMessage?: (key: MessageKey) => string;
}

export function followUiLanguage(deps: BackgroundLanguageDeps) {
  const fetchMessages = deps.fetchMessages ?? fetchLocaleMessages;
  const nativeMessage = deps.nativeMessage ?? ((key: MessageKey) => browser.i18n.getMessage(key as never) || key);

  const strings = new Map<UiLanguage, Promise<ContentStrings>>();
  /** The in-page button's strings in `language` (each file read once per background life). */
  function contentStrings(language: UiLanguage): Promise<ContentStrings> {
    const known = strings.get(language);
    if (known) return known;
    const loaded = fetchMessages(language.replace('-', '_')).then((messages) =>
      contentStringsFrom(messages as Parameters<typeof contentStringsFrom>[0], nativeMessage),
    );
    strings.set(language, loaded);
    loaded.catch(() => strings.delete(language));
    return loaded;
  }

  /** The button's strings beside the choice in storage.local, for pages opened while the worker sleeps. */
  async function cacheContentStrings(choice: UiLanguage | undefined) {
    try {
      if (choice) await deps.area.set({ [UI_STRINGS_KEY]: { language: choice, strings: await contentStrings(choice) } });
      else await deps.area.remove(UI_STRINGS_KEY);
    } catch {
      // Without the copy, content scripts ask for the strings (the `ui-strings` message).
    }
  }

  async function apply() {
    let choice: UiLanguage | undefined;
    try {
      choice = await readUiLanguageChoice(deps.area);
    } catch {
      // Storage that can't be read: the browser's language, as before the choice.
    }
    await loadUiLanguage(choice, fetchMessages);
    try {
      deps.onLanguage();
    } catch (error) {
      // A title that couldn't be set must not hold up the badge updates waiting on `ready`.
      console.warn('Sounds Local: could not re-title the toolbar and the context menu.', error);
    }
    await cacheContentStrings(choice);
  }

  // Changes apply in the order they were made, each after the one before has loaded.
  let ready = apply();
  deps.onChanged.addListener((changes, areaName) => {
    if (areaName === 'local' && UI_LANGUAGE_KEY in changes) ready = ready.then(apply, apply);
  });

  return {
    /** Resolves once t() speaks the latest choice. */
    ready: () => ready,
    contentStrings,
  };
}
