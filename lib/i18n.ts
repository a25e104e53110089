// The message lookup for code outside the UI (background, upload client, validation): the same
// `t()`/`tp()` and typed keys as the popup and options, re-exported here so that lib/ code other
// than lib/ui/ need not reach into the UI's folder.
//
// Errors and validation messages are rendered when they are made, in the UI language of that
// moment (browser.i18n in the background, or the user's chosen language where it is loaded).
// Texts the background stores (a report's status_reason, a drive's glossary_error and
// last_error, an outbox batch's last_error) therefore stay in the language they were written
// in until they are written again: they are short-lived, rewritten on the next attempt, and a
// stored {key, args} form would have to survive every future rewording of the message.
import { formatNumber, uiLanguage } from './ui/i18n';

export { type MessageKey, type PluralKey, formatNumber, t, tp, uiLanguage } from './ui/i18n';

/** A size in kB or MB (one decimal at most), in the UI language's digits and unit names. */
export function formatByteSize(bytes: number, language = uiLanguage()): string {
  const mega = bytes >= 1024 * 1024;
  const value = mega ? Math.round(bytes / 1024 / 102.4) / 10 : Math.round(bytes / 1024);
  try {
    return new Intl.NumberFormat(language, { style: 'unit', unit: mega ? 'megabyte' : 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 1 }).format(
      value,
    );
  } catch {
    return `${formatNumber(value, language)} ${mega ? 'MB' : 'kB'}`;
  }
}

/** A position (a line of a file, a mark's number): the UI language's digits, never grouped ("line 1501"). */
export function formatPosition(value: number, language = uiLanguage()): string {
  try {
    return new Intl.NumberFormat(language, { useGrouping: false }).format(value);
  } catch {
    return String(value);
  }
}
