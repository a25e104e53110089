// Small formatting helpers for report lists and headers, in the UI language.
import type { Report, SiteId } from '../report';
import { t, uiLanguage } from './i18n';

export function siteName(site: SiteId): string {
  return t(`site_${site}`);
}

/** The first non-empty line of the answer, shortened for a list row. */
export function firstLine(answer: string, max = 140): string {
  const line =
    answer
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? '';
  if (line.length <= max) return line;
  let cut = max;
  // Never cut a surrogate pair in half.
  if (/[\ud800-\udbff]/.test(line[cut - 1] ?? '')) cut--;
  return `${line.slice(0, cut)}…`;
}

// Making an Intl formatter costs far more than using one (a list page formats 40 dates): one
// per language, made on first use.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDate(iso: string, language = uiLanguage()): string {
  try {
    let format = dateFormats.get(language);
    if (!format) dateFormats.set(language, (format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' })));
    return format.format(new Date(iso));
  } catch {
    return iso;
  }
}

export function statusLabel(status: Report['status']): string {
  return t(`status_${status}`);
}

/** "chatgpt.com" from "https://chatgpt.com/*". */
export function hostOfPattern(pattern: string): string {
  const match = /^[^:]+:\/\/([^/]+)(\/.*)?$/.exec(pattern);
  if (!match) return pattern;
  const path = (match[2] ?? '').replace(/\/?\*$/, '').replace(/\/$/, '');
  return `${match[1]}${path}`;
}

/**
 * The toolbar badge's count in the UI language: the badge shows about four characters, so
 * large counts are compact ("8K", "1,2 Mio." → engines shorten as the language does).
 */
export function badgeCount(count: number, language = uiLanguage()): string {
  try {
    const full = new Intl.NumberFormat(language).format(count);
    if (full.length <= 4) return full;
    return new Intl.NumberFormat(language, { notation: 'compact', maximumFractionDigits: 0 }).format(count);
  } catch {
    return count > 9999 ? '9999+' : String(count);
  }
}

/** "14:05" or "2:05 PM" in the UI language, for "Will retry at …". */
export function formatClock(epochMs: number, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' }).format(new Date(epochMs));
  } catch {
    return new Date(epochMs).toISOString().slice(11, 16);
  }
}
