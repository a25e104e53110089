// Redaction before upload (DESIGN.md §11): e-mail addresses, phone numbers, card numbers
// (Luhn), IBANs (mod 97) and API-key-like strings in a report's answer, prompt and comment.
// Detection is separate from application so the review screen can show every redaction and
// let the user undo a single one: findRedactions → show → applyRedactions(text, found, undone).
import type { UploadedReport } from './report';
import { describe as describeQuote } from './anchoring';

export const REDACTION_KINDS = ['email', 'phone', 'card', 'iban', 'secret'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** What replaces each kind: short, bracketed, and obviously not the original. */
export const REPLACEMENTS: Record<RedactionKind, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
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

interface Candidate {
  kind: RedactionKind;
  start: number;
  end: number;
}

// ── Checksums ──────────────────────────────────────────────────────────────────────────

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: move the first four characters to the end, letters → 10..35, mod 97 === 1. */
export function ibanValid(compact: string): boolean {
  const iban = compact.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    // Digit by digit keeps the running number small (the whole thing is up to ~70 digits).
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const freq = new Map<string, number>();
  for (const ch of s) freq.set(ch, (freq.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of freq.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// ── Detectors ──────────────────────────────────────────────────────────────────────────
// Each returns candidates; overlaps are resolved afterwards by detector order (the more
// specific kinds first), so a card number is never also reported as a phone number.

function findEmails(text: string): Candidate[] {
  const out: Candidate[] = [];
  const re = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?![\p{L}\p{N}-])/gu;
  for (const m of text.matchAll(re)) {
    // A local part can't start or end with a dot; trim instead of dropping the match.
    let start = m.index;
    let value = m[0];
    while (value.startsWith('.')) {
      value = value.slice(1);
      start++;
    }
    if (value.split('@')[0]!.length > 0) out.push({ kind: 'email', start, end: start + value.length });
  }
  return out;
}

const KEY_PATTERNS: RegExp[] = [
  /\bsk-(?:[A-Za-z]+-)*[A-Za-z0-9_-]{20,}/g, // OpenAI / Anthropic style (sk-…, sk-proj-…, sk-ant-…)
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
];

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function findSecrets(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const re of KEY_PATTERNS)
    for (const m of text.matchAll(re)) out.push({ kind: 'secret', start: m.index, end: m.index + m[0].length });
  // Generic long random tokens. Letters *and* digits, at least 32 characters, and high
  // entropy, so long words, identifiers in code (`AbstractSingletonProxyFactoryBean`) and
  // repeated characters are left alone. UUIDs are identifiers, not secrets.
  for (const m of text.matchAll(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g)) {
    const token = m[0];
    if (!/\d/.test(token) || !/[A-Za-z]/.test(token) || UUID_SHAPE.test(token)) continue;
    if (entropy(token) < 3.5) continue;
    out.push({ kind: 'secret', start: m.index, end: m.index + token.length });
  }
  return out;
}

// Printed IBANs come compact or in groups of four.
const IBAN_SHAPE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{1,4}){3,8}(?![A-Za-z0-9])/g;

function findIbans(text: string): Candidate[] {
  const out: Candidate[] = [];
  // A trailing word after the last group can look like one more group, so shorten from the
  // end until the checksum holds.
  for (const m of text.matchAll(IBAN_SHAPE)) {
    const groups = m[0].split(' ');
    for (let n = groups.length; n >= 1; n--) {
      const candidate = groups.slice(0, n).join(' ');
      if (ibanValid(candidate.replace(/ /g, ''))) {
        out.push({ kind: 'iban', start: m.index, end: m.index + candidate.length });
        break;
      }
    }
  }
  return out;
}

function findCards(text: string): Candidate[] {
  const out: Candidate[] = [];
  // 13–19 digits, optionally grouped by single spaces or hyphens. Major networks start with
  // 2–6; that keeps 13-digit millisecond timestamps (starting with 1) out.
  // The digits of a mistyped IBAN (checksum wrong) are not a card number either.
  const ibanShaped = [...text.matchAll(IBAN_SHAPE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  for (const m of text.matchAll(/(?<![\d.,-])[2-6]\d{0,3}(?:[ -]?\d{1,6}){2,6}(?![\d]|[.,]\d)/g)) {
    if (ibanShaped.some((s) => m.index < s.end && s.start < m.index + m[0].length)) continue;
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length < 13 || digits.length > 19) continue;
    if (/^(\d)\1+$/.test(digits) || !luhnValid(digits)) continue;
    out.push({ kind: 'card', start: m.index, end: m.index + m[0].length });
  }
  return out;
}

function findPhones(text: string): Candidate[] {
  const out: Candidate[] = [];
  // A run of digits with the separators phone numbers use; decided by shape afterwards.
  const re = /(?<![\p{L}\p{N}+.,/:-])(?:\+\s?)?(?:\(\d{1,5}\)[\s.-]?)?\d[\d\s().-]{5,22}\d(?![\p{L}\p{N}]|[.,/:-]\d)/gu;
  for (const m of text.matchAll(re)) {
    // Never run across a line break: two numbers on separate lines are two things.
    const value = m[0].split(/\r?\n/)[0]!.replace(/[\s(.-]+$/, '');
    if (isPhoneShaped(value)) out.push({ kind: 'phone', start: m.index, end: m.index + value.length });
  }
  return out;
}

/**
 * Phone numbers by shape, tuned to leave ordinary numbers alone (years, prices like
 * 1,234.50, dates like 2012-06-07, version numbers, amounts like 1.234.567):
 * - international: `+` and 8–15 digits (E.164 allows at most 15);
 * - national with a trunk prefix: starts with 0, 9–12 digits, grouped by spaces/hyphens;
 * - with an area code in parentheses: `(555) 123-4567`, `(030) 1234567`;
 * - North American: 3-3-4 digits.
 */
function isPhoneShaped(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (/[()]/.test(value) && !/^(?:\+\s?\d{1,4}[\s.-]?)?\(\d{1,5}\)/.test(value)) return false;
  if (value.startsWith('+')) return digits.length >= 8 && digits.length <= 15;
  if (digits.length < 9 || digits.length > 12) return false;
  if (/^\(\d{2,5}\)[\s.-]?\d/.test(value)) return true;
  if (/^\d{3}([\s.-])\d{3}\1\d{4}$/.test(value)) return true;
  // Trunk-prefixed national numbers: no dots (0.123456789 is a decimal), first group ≥ 2 digits.
  if (/^0\d/.test(value) && !value.includes('.')) return /^0\d+(?:[\s-]\d+)*$/.test(value);
  return false;
}

const DETECTORS: Array<(text: string) => Candidate[]> = [findEmails, findSecrets, findIbans, findCards, findPhones];

// ── Public API ─────────────────────────────────────────────────────────────────────────

/** Every redaction in `text`, in order, never overlapping. */
export function findRedactions(text: string): Redaction[] {
  const taken: Candidate[] = [];
  for (const detect of DETECTORS) {
    for (const c of detect(text)) {
      if (c.end <= c.start) continue;
      if (taken.some((t) => c.start < t.end && t.start < c.end)) continue;
      taken.push(c);
    }
  }
  return taken
    .sort((a, b) => a.start - b.start)
    .map((c) => ({
      id: `${c.kind}:${c.start}-${c.end}`,
      kind: c.kind,
      start: c.start,
      end: c.end,
      original: text.slice(c.start, c.end),
      replacement: REPLACEMENTS[c.kind],
    }));
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
export function findReportRedactions(report: Pick<UploadedReport, RedactedField>): ReportRedaction[] {
  const found: ReportRedaction[] = [];
  for (const field of REDACTED_FIELDS) {
    const text = report[field];
    if (!text) continue;
    for (const r of findRedactions(text)) found.push({ ...r, field, id: `${field}:${r.id}` });
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
export function redactReport(
  report: UploadedReport,
  options: { redactions?: readonly ReportRedaction[]; undone?: Iterable<string> } = {},
): RedactedReport {
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
