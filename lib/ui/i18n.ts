// Every user-visible string goes through browser.i18n (public/_locales/<lang>/messages.json).
// An unknown key shows as the key itself, so a missing string is visible, not blank.

export function t(key: string, substitutions?: string | number | Array<string | number>): string {
  const subs = substitutions === undefined ? undefined : (Array.isArray(substitutions) ? substitutions : [substitutions]).map(String);
  let message = '';
  try {
    message = browser.i18n.getMessage(key as never, subs);
  } catch {
    // Outside the extension (a test without the stub) getMessage may be missing.
  }
  return message || key;
}

/** The UI's reading direction: 'rtl' for Arabic, Hebrew, Persian… UIs. */
export function uiDirection(): 'ltr' | 'rtl' {
  return t('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr';
}

/** The browser's UI language (`en-US`), for Intl formatters and DisplayNames. */
export function uiLanguage(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return globalThis.navigator?.language || 'en';
  }
}

/** Set lang and dir on the document once, before the first render. */
export function applyDocumentLanguage(doc: Document = document): void {
  doc.documentElement.lang = uiLanguage();
  doc.documentElement.dir = uiDirection();
}
