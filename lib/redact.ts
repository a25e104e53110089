// Redaction before upload (DESIGN.md §11): e-mail addresses, phone numbers, card numbers,
// IBANs, national identity numbers and key-like secrets in a report's answer, prompt and
// comment. Detection is separate from application so the review screen can show every
// redaction and let the user undo a single one: findRedactions → show → applyRedactions.
// The detectors live in lib/redact/; each reads a normalised copy of the text (full-width
// digits, odd spaces and dashes made ASCII) and every regular expression is linear, so a
// 200,000-character answer takes milliseconds (bench/redact.ts measures the worst cases).
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import type { UploadedReport } from './report';
import { describe as describeQuote } from './anchoring';
import { normalise } from './redact/normalize';
import { findEmails } from './redact/emails';
import { findSecrets } from './redact/secrets';
import { findCards, findIbans } from './redact/payment';
import { findNationalIds } from './redact/national-ids';
import { PHONE_LIBRARY_BUDGET, findPhones } from './redact/phones';
import { REDACTION_KINDS, type Candidate, type RedactionKind } from './redact/types';

export { REDACTION_KINDS, PHONE_LIBRARY_BUDGET, type RedactionKind };
export { luhnValid, ibanValid, cpfValid, taiwanIdValid, spanishIdValid, chineseResidentIdValid, aadhaarValid } from './redact/checksums';

/** What replaces each kind: short, bracketed, and obviously not the original. */
export const REPLACEMENTS: Record<RedactionKind, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
  national_id: '[ID]',
  secret: '[SECRET]',
};

export interface Redaction {
  /** Stable for the same text: `<kind>:<start>-<end>`; undo by id. */
  id: string;
  kind: RedactionKind;
  /** UTF-16 offsets into the text the redaction was found in. */
  start: number;
  end: number;
  original: string;
  replacement: string;
}

export interface RedactionOptions {
  /**
   * The locale the text was expected in (a report's `expected_locale`): its region is the
   * default country for phone numbers written without "+" (0912-345-678 in zh-TW). Without
   * one, national numbers are tried against a list of common countries.
   */
  locale?: string;
  /**
   * How many runs of digits may be checked with libphonenumber (default
   * PHONE_LIBRARY_BUDGET); the rest are judged by shape. 0 measures the shape rules alone.
   */
  phoneLibraryCalls?: number;
}

/** The phone region of a BCP 47 tag: `zh-TW` → TW, `ja` → JP (likely subtags), else undefined. */
export function regionOf(locale: string | undefined): CountryCode | undefined {
  if (!locale) return undefined;
  try {
    const region = new Intl.Locale(locale).maximize().region;
    return region && isSupportedCountry(region) ? (region as CountryCode) : undefined;
  } catch {
    return undefined;
  }
}

// Overlaps are resolved by this order, the more specific kinds first, so a card number is
// never also reported as a phone number.
const DETECTORS: Array<(text: string, region: CountryCode | undefined, options: RedactionOptions) => Candidate[]> = [
  // Secrets first: a token in a URL (https://ghp_…@github.com) is shaped like an address.
  findSecrets,
  findEmails,
  findIbans,
  findNationalIds,
  findCards,
  (text, region, options) => findPhones(text, region, { calls: PHONE_LIBRARY_BUDGET - (options.phoneLibraryCalls ?? PHONE_LIBRARY_BUDGET) }),
];

// ── Public API ─────────────────────────────────────────────────────────────────────────

/** Every redaction in `text`, in order, never overlapping. */
export function findRedactions(text: string, options: RedactionOptions = {}): Redaction[] {
  const region = regionOf(options.locale);
  const copy = normalise(text);
  // Which units of the copy are already claimed: overlap checks stay linear in the text.
  const taken = new Uint8Array(copy.text.length);
  const kept: Candidate[] = [];
  for (const detect of DETECTORS) {
    const found = detect(copy.text, region, options).sort((a, b) => a.start - b.start || b.end - a.end);
    for (const c of found) {
      if (c.end <= c.start) continue;
      let free = true;
      for (let i = c.start; i < c.end; i++)
        if (taken[i]) {
          free = false;
          break;
        }
      if (!free) continue;
      taken.fill(1, c.start, c.end);
      kept.push(c);
    }
  }
  kept.sort((a, b) => a.start - b.start);
  const out: Redaction[] = [];
  for (const c of kept) {
    const { start, end } = copy.toOriginal(c.start, c.end);
    out.push({ id: `${c.kind}:${start}-${end}`, kind: c.kind, start, end, original: text.slice(start, end), replacement: REPLACEMENTS[c.kind] });
  }
  return out;
}

/** `text` with every redaction applied except those whose id is in `undone`. */
export function applyRedactions(text: string, redactions: readonly Redaction[], undone: Iterable<string> = []): string {
  return applyWithMap(text, activeRedactions(text, redactions, undone)).text;
}

function activeRedactions(text: string, redactions: readonly Redaction[], undone: Iterable<string>): Redaction[] {
  const skip = new Set(undone);
  const active = redactions
    .filter((r) => !skip.has(r.id))
    // Refuse redactions that don't describe this text (stale UI state): never corrupt it.
    .filter((r) => text.slice(r.start, r.end) === r.original)
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < active.length; i++)
    // A programmer's mistake, never shown to a user: English, like other developer errors.
    if (active[i]!.start < active[i - 1]!.end) throw new Error('Redactions overlap; use the list findRedactions returned.');
  return active;
}

/** Applies sorted, non-overlapping redactions; `map` turns old offsets into new ones. */
function applyWithMap(text: string, active: readonly Redaction[]) {
  let out = '';
  let at = 0;
  for (const r of active) {
    out += text.slice(at, r.start) + r.replacement;
    at = r.end;
  }
  out += text.slice(at);
  /**
   * An offset inside a redacted span snaps outwards: a start to the beginning of the
   * replacement, an end to its end, so a mark that touched private text covers the whole
   * placeholder instead of half of it.
   */
  const map = (offset: number, side: 'start' | 'end'): number => {
    let delta = 0;
    for (const r of active) {
      if (offset <= r.start) break;
      if (offset >= r.end) {
        delta += r.replacement.length - (r.end - r.start);
        continue;
      }
      return r.start + delta + (side === 'end' ? r.replacement.length : 0);
    }
    return offset + delta;
  };
  return { text: out, map };
}

export const REDACTED_FIELDS = ['answer', 'prompt', 'comment'] as const;
export type RedactedField = (typeof REDACTED_FIELDS)[number];

export interface ReportRedaction extends Redaction {
  field: RedactedField;
  /** `<field>:<kind>:<start>-<end>`, unique within the report. */
  id: string;
}

/** Every redaction in a report's answer, prompt and comment. */
export function findReportRedactions(report: Pick<UploadedReport, RedactedField> & { expected_locale?: string }): ReportRedaction[] {
  const found: ReportRedaction[] = [];
  for (const field of REDACTED_FIELDS) {
    const text = report[field];
    if (!text) continue;
    for (const r of findRedactions(text, { locale: report.expected_locale })) found.push({ ...r, field, id: `${field}:${r.id}` });
  }
  return found;
}

export interface RedactedReport {
  report: UploadedReport;
  /** The redactions that were applied (not undone). */
  applied: ReportRedaction[];
}

/**
 * Applies redactions to a report about to be uploaded. Marks stay valid: offsets after a
 * redaction shift by its change in length, a mark overlapping one grows to cover the whole
 * placeholder, and `exact`/`prefix`/`suffix` are re-read from the redacted answer (the
 * prefix and suffix are copies of answer text and would otherwise leak what was redacted).
 * Suggestions, alternatives and notes are the user's own words and are left as typed.
 */
export function redactReport(report: UploadedReport, options: { redactions?: readonly ReportRedaction[]; undone?: Iterable<string> } = {}): RedactedReport {
  const redactions = options.redactions ?? findReportRedactions(report);
  const undone = [...(options.undone ?? [])];
  const applied: ReportRedaction[] = [];
  const next: UploadedReport = { ...report };
  for (const field of REDACTED_FIELDS) {
    const text = report[field];
    if (text === undefined) continue;
    const own = redactions.filter((r) => r.field === field);
    const active = activeRedactions(text, own, undone);
    if (active.length === 0) continue;
    const { text: redacted, map } = applyWithMap(text, active);
    next[field] = redacted;
    applied.push(...(active as ReportRedaction[]));
    if (field === 'answer') {
      next.highlights = report.highlights.map((h) => {
        const start = map(h.start, 'start');
        const end = map(h.end, 'end');
        // Untouched marks keep their quote as it was; only shifted offsets change.
        const windowStart = h.start - h.prefix.length;
        const windowEnd = h.end + h.suffix.length;
        if (!active.some((r) => r.start < windowEnd && windowStart < r.end)) return { ...h, start, end };
        const quote = describeQuote(redacted, { start, end });
        return { ...h, start, end, exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix };
      });
    }
  }
  return { report: next, applied };
}
