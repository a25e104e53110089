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
import { type MessageKey, type PluralKey, formatNumber, t as lookup, tp as lookupPlural, uiDirection, uiLanguage } from './ui/i18n';

export { type MessageKey, type PluralKey, formatNumber, uiLanguage } from './ui/i18n';

type Substitutions = string | number | ReadonlyArray<string | number>;

/**
 * What goes into an error is often in another direction than the UI (a web address, a locale
 * tag, the endpoint's own words in an Arabic sentence): in a right-to-left UI each one is
 * wrapped in FSI…PDI (U+2068, U+2069) so it keeps its own order and doesn't reorder the
 * sentence around it. Left-to-right UIs get the values as they are.
 */
function isolated(substitutions: Substitutions | undefined): Substitutions | undefined {
  if (substitutions === undefined || uiDirection() !== 'rtl') return substitutions;
  const list: ReadonlyArray<string | number> = Array.isArray(substitutions) ? substitutions : [substitutions as string | number];
  return list.map((value) => (value === '' ? '' : `\u2068${value}\u2069`));
}

export function t(key: MessageKey, substitutions?: Substitutions): string {
  return lookup(key, isolated(substitutions));
}

export function tp(key: PluralKey, count: number, ...rest: Array<string | number>): string {
  return lookupPlural(key, count, ...((isolated(rest) as Array<string | number> | undefined) ?? []));
}

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
