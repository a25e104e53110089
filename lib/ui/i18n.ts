// Every user-visible string goes through here (public/_locales/<lang>/messages.json).
// By default the browser's own i18n picks the language. A user can choose another UI
// language in the options: extension pages then load that locale's messages.json before the
// first render and apply chrome.i18n's placeholder rules to it themselves, since
// browser.i18n can't switch languages at run time.
// An unknown key shows as the key itself, so a missing string is visible, not blank.
import type enMessages from '../../public/_locales/en/messages.json';

/** A key of the English (reference) messages file: a misspelt key fails to compile. */
export type MessageKey = keyof typeof enMessages;

/** Keys that take a count: `<base>__one`, `<base>__other`, … (see `tp`). */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}__other` ? Base : never }[MessageKey];

/**
 * A key made at run time from data (a glossary source's name, a site id from a page): checked
 * here, where a missing one shows as the key itself rather than failing to compile.
 */
export function dynamicKey(key: string): MessageKey {
  return key as MessageKey;
}

/** The UI languages we ship, as BCP 47 tags (the `_locales` folder uses `_` for `-`). */
export const UI_LANGUAGES = ['en', 'zh-TW', 'zh-CN', 'ja', 'ko', 'es', 'pt-BR', 'pt-PT', 'fr', 'de', 'ar', 'hi', 'id', 'vi'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);

/** Where extension pages of older builds kept the chosen UI language (now in storage.local: lib/ui/languageChoice.ts moves it). */
export const UI_LANGUAGE_STORAGE_KEY = 'sounds-local:ui-language';

interface LocaleMessage {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

let chosen: { language: UiLanguage; messages: Record<string, LocaleMessage> } | undefined;

type Substitutions = string | number | ReadonlyArray<string | number>;

function toList(substitutions?: Substitutions): string[] | undefined {
  if (substitutions === undefined) return undefined;
  return (Array.isArray(substitutions) ? substitutions : [substitutions]).map(String);
}

/** chrome.i18n.getMessage's rules: `$NAME$` → its placeholder's content, `$1`…`$9` → substitutions, `$$` → `$`. */
export function formatMessage(entry: LocaleMessage, substitutions: string[] = []): string {
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
    const placeholder = entry.placeholders?.[name.toLowerCase()];
    return placeholder ? placeholder.content : whole;
  });
  return named.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (substitutions[Number(which) - 1] ?? '')));
}

export function t(key: MessageKey, substitutions?: Substitutions): string {
  const subs = toList(substitutions);
  const own = chosen?.messages[key];
  if (own) return formatMessage(own, subs);
  let message = '';
  try {
    message = browser.i18n.getMessage(key as never, subs);
  } catch {
    // Outside the extension (a test without the stub) getMessage may be missing.
  }
  if (message) return message;
  const fallback = fallbackMessages?.[key];
  return fallback ? formatMessage(fallback, subs) : key;
}

let fallbackMessages: Record<string, LocaleMessage> | undefined;

/**
 * Where there is no browser.i18n (the reference receiver, its CLI, unit tests in Node), `t()`
 * reads these messages instead: lib/i18n-node.ts sets English once at start-up. Extension
 * contexts never call this, so no messages file is bundled into them.
 */
export function setFallbackMessages(messages: Record<string, LocaleMessage> | undefined): void {
  fallbackMessages = messages;
}

/**
 * A message that depends on a count: `<key>__<category>` by the UI language's plural rules
 * (`Intl.PluralRules`: one, two, few, many, other, zero), falling back to `<key>__other`. The
 * count, formatted for the UI language, is the first substitution.
 */
export function tp(key: PluralKey, count: number, ...rest: Array<string | number>): string {
  const language = uiLanguage();
  let category: Intl.LDMLPluralRule = 'other';
  try {
    category = new Intl.PluralRules(language).select(count);
  } catch {
    // An engine without this language's rules: `other` reads right for most counts.
  }
  const formatted = formatNumber(count, language);
  const specific = t(dynamicKey(`${key}__${category}`), [formatted, ...rest]);
  return specific === `${key}__${category}` ? t(dynamicKey(`${key}__other`), [formatted, ...rest]) : specific;
}

export function formatNumber(value: number, language = uiLanguage()): string {
  try {
    return new Intl.NumberFormat(language).format(value);
  } catch {
    return String(value);
  }
}

/** The browser's own UI language (`en-US`), whatever the user chose for ours. */
export function browserLanguage(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return globalThis.navigator?.language || 'en';
  }
}

/**
 * The language the UI's text is in, for `lang`, Intl formatters and DisplayNames: the user's
 * choice, else the locale file the browser picked. Each messages.json names its own tag
 * (`localeTag`), so a browser in a language we don't ship (English text) never gets `lang="sw"`.
 */
export function uiLanguage(): string {
  if (chosen) return chosen.language;
  const shipped = t('localeTag');
  return shipped !== 'localeTag' && shipped ? shipped : browserLanguage();
}

/** The UI's reading direction: 'rtl' for Arabic, Hebrew, Persian… UIs. */
export function uiDirection(): 'ltr' | 'rtl' {
  return RTL_LANGUAGES.has(uiLanguage().split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

/** The shipped UI language closest to `tag` (`pt` → `pt-BR`, `zh-Hant-HK` → `zh-TW`), if any. */
export function matchUiLanguage(tag: string | undefined | null): UiLanguage | undefined {
  if (!tag) return undefined;
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(tag).maximize();
  } catch {
    return undefined;
  }
  const exact = UI_LANGUAGES.find((l) => {
    const other = new Intl.Locale(l).maximize();
    return other.language === locale.language && other.script === locale.script && other.region === locale.region;
  });
  if (exact) return exact;
  if (locale.language === 'zh') return locale.script === 'Hant' ? 'zh-TW' : 'zh-CN';
  if (locale.language === 'pt') return 'pt-BR';
  return UI_LANGUAGES.find((l) => l === locale.language);
}

// (Not named `storage`: WXT would auto-import its storage library for that name.)
export function readUiLanguagePreference(from: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): UiLanguage | undefined {
  try {
    const value = from?.getItem(UI_LANGUAGE_STORAGE_KEY);
    return UI_LANGUAGES.find((l) => l === value);
  } catch {
    return undefined;
  }
}

/** A shipped locale's messages file (`de`, `zh_TW`), read from the extension's own files. */
export async function fetchLocaleMessages(folder: string): Promise<unknown> {
  const response = await fetch(browser.runtime.getURL(`/_locales/${folder}/messages.json` as never));
  if (!response.ok) throw new Error(`${folder}: HTTP ${response.status}`);
  return response.json();
}

/**
 * Before the first render of an extension page (and in the background): when the user chose
 * a UI language other than the browser's (lib/ui/languageChoice.ts), load its messages. A
 * file that can't be loaded leaves the browser's language in place (the page still works, in
 * the language the browser picked).
 */
export async function loadUiLanguage(
  language: UiLanguage | undefined,
  fetchMessages: (folder: string) => Promise<unknown> = fetchLocaleMessages,
): Promise<void> {
  chosen = undefined;
  if (!language || matchUiLanguage(browserLanguage()) === language) return;
  try {
    const messages = (await fetchMessages(language.replace('-', '_'))) as Record<string, LocaleMessage>;
    if (messages && typeof messages === 'object' && typeof messages.extName?.message === 'string') chosen = { language, messages };
  } catch (error) {
    console.warn('Sounds Local: could not load the chosen UI language; using the browser’s.', error);
  }
}

/** Set lang and dir on the document once, before the first render. */
export function applyDocumentLanguage(doc: Document = document): void {
  doc.documentElement.lang = uiLanguage();
  doc.documentElement.dir = uiDirection();
}
