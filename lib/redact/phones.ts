// Phone numbers, decided by libphonenumber-js (each country's real numbering plan) rather
// than by hand-written shapes. Finding the candidates is ours: one linear pass collects runs
// of digits and the separators phone numbers use, and only runs of 8–17 digits go to the
// library, with the expected locale's region as the default country. The library costs about
// 50 µs a run, so a text can spend at most PHONE_LIBRARY_BUDGET calls on it; an absurd text
// with thousands of number runs has the rest judged by shape alone (bench:redact measures
// what that costs in recall) rather than taking a second.
import { findNumbers, type CountryCode, type NumberFound } from 'libphonenumber-js/max';
import { saysNotPrivate, saysPhone } from './context';
import type { Candidate } from './types';

export const PHONE_LIBRARY_BUDGET = 300;

/**
 * Regions whose numbers (or mobiles) are written without a trunk prefix: no prefix at all
 * (Spain, Portugal, Italy, Greece, the Nordics…) or mobiles dialled without it (China,
 * India). Elsewhere (Germany, Japan, Taiwan…) a number is written with its 0, so ten bare
 * digits without one are more likely a timestamp than a phone.
 */
const WRITTEN_WITHOUT_TRUNK = new Set<CountryCode>([
  'ES',
  'PT',
  'IT',
  'GR',
  'DK',
  'NO',
  'IS',
  'LU',
  'MC',
  'MT',
  'CY',
  'EE',
  'LV',
  'CN',
  'IN',
  'HK',
  'MO',
  'SG',
  'QA',
  'BH',
  'KW',
  'OM',
]);

/** Regions tried when the text's locale is unknown, or when the text names a phone number. */
const COMMON_REGIONS: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'BR', 'PT', 'MX', 'IN', 'CN', 'TW', 'HK', 'JP', 'KR', 'RU', 'NL', 'AU'];

// A run: an optional "+" or "(" then digits joined by at most three separators at a time
// ("040 / 123 456 78" is how many Germans write a number).
// Every repetition eats at least one digit and the separator class has none, so matching is
// linear. No Latin letter or digit may touch its start ("A123456789", "SKU12345678"), but
// other scripts may ("手機0912345678", "電話番号は090-1234-5678").
const RUN = /(?<![0-9A-Za-z_+])(?:\+|\(\+?)?\d(?:[ .()/-]{0,3}\d)*/g;

const MAX_RUN = 40;

export interface PhoneBudget {
  calls: number;
}

/** One run being judged; the words before it are read only if a rule needs them. */
interface Run {
  text: string;
  start: number;
  value: string;
  digits: string;
  international: boolean;
  region: CountryCode | undefined;
  namedMemo: boolean | undefined;
}

function isNamed(run: Run): boolean {
  return (run.namedMemo ??= saysPhone(run.text, run.start));
}

export function findPhones(text: string, region: CountryCode | undefined, budget: PhoneBudget = { calls: 0 }): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(RUN)) {
    const value = m[0];
    const start = m.index;
    if (value.length > MAX_RUN) continue; // tables and number series, not one phone number
    let digitCount = 0;
    for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) digitCount++;
    if (digitCount < 8 || digitCount > 17) continue;
    const after = text.charCodeAt(start + value.length);
    // Glued to Latin letters on the right: a code (0912345678abc), not a number.
    if ((after >= 65 && after <= 90) || (after >= 97 && after <= 122)) continue;
    if (looksLikeOtherNumber(value)) continue;
    const run: Run = {
      text,
      start,
      value,
      region,
      digits: value.replace(/\D/g, ''),
      international: value.startsWith('+') || value.startsWith('(+'),
      namedMemo: undefined,
    };
    // Part of a code such as INV-2024-000123 or ABC-12345678.
    if (/[A-Za-z0-9]-$/.test(text.slice(Math.max(0, start - 2), start)) && !isNamed(run)) continue;
    const found = judge(run, budget);
    if (found.length === 0 || (!isNamed(run) && saysNotPrivate(text, start))) continue;
    for (const f of found) out.push({ kind: 'phone', start: start + f.start, end: start + f.end });
  }
  return out;
}

/** Dates, decimals, thousands, IP addresses, ISBN-shaped groups: never phone numbers. */
function looksLikeOtherNumber(run: string): boolean {
  // A date, alone or followed by a time or more numbers (2024-11-30 10:30, 30.11.2024 10).
  if (/^(?:1[89]|20)\d\d([./-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d)/.test(run)) return true;
  if (/^(?:0?[1-9]|[12]\d|3[01])([./-])(?:0?[1-9]|1[0-2])\1(?:1[89]|20)\d\d(?!\d)/.test(run)) return true;
  if (/^\d+\.\d+$/.test(run)) return true;
  if (/^\d{5}-\d{3}$/.test(run)) return true; // a Brazilian CEP
  if (/^[1-9]\d?(?: \d{3}){2,}$/.test(run)) return true; // 37 468 000: thousands, not 2-3-3 phone groups
  if (/^[1-9]\d{0,2}(?:[.]\d{3})+$/.test(run)) return true;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(run)) return true;
  if (/^97[89][ -]?\d{1,5}[ -]\d{1,7}[ -]\d{1,6}[ -]\d$/.test(run)) return true;
  return false;
}

type Spans = Array<{ start: number; end: number }>;

/** The library's verdict with region `r` (undefined: the budget is spent). */
function tryRegion(run: Run, r: CountryCode | undefined, budget: PhoneBudget): Spans | undefined {
  if (budget.calls >= PHONE_LIBRARY_BUDGET) return undefined;
  budget.calls++;
  const found = findNumbers(run.value, { defaultCountry: r, v2: true, leniency: 'POSSIBLE' } as { defaultCountry?: CountryCode; v2: true }) as NumberFound[];
  const spans: Spans = [];
  for (const f of found) if (accept(run, run.value.slice(f.startsAt, f.endsAt), f, r)) spans.push({ start: f.startsAt, end: f.endsAt });
  return spans;
}

function byShapeAlone(run: Run): Spans {
  return byShape(run.value, run.digits, () => isNamed(run)) ? [{ start: 0, end: run.value.length }] : [];
}

function judge(run: Run, budget: PhoneBudget): Spans {
  if (run.international) return tryRegion(run, undefined, budget) ?? byShapeAlone(run);
  const regions: CountryCode[] = [];
  if (run.region) regions.push(run.region);
  // Mainland-China mobiles are often written without a trunk 0 (13812345678).
  if (run.region !== 'CN' && /^1[3-9]\d{9}$/.test(run.digits)) regions.push('CN');
  for (const r of regions) {
    const found = tryRegion(run, r, budget);
    if (found === undefined) return byShapeAlone(run);
    if (found.length) return found;
  }
  // Other countries' plans only where the text calls it a phone, or has no locale.
  if (run.region && !isNamed(run)) return [];
  for (const r of COMMON_REGIONS) {
    if (regions.includes(r)) continue;
    const found = tryRegion(run, r, budget);
    if (found === undefined) return byShapeAlone(run);
    if (found.length) return found;
  }
  return [];
}

function accept(run: Run, raw: string, found: NumberFound, region: CountryCode | undefined): boolean {
  const number = found.number;
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 8) return false;
  if (number.isValid()) {
    if (run.international) return true;
    if (region !== undefined && region === run.region) {
      // Written the way people write their own numbers: with the trunk prefix
      // (0912345678), in groups, or as a mobile.
      if (digits.length > number.nationalNumber.length) return true;
      if ((raw.match(/[ .()/-]+/g) ?? []).length >= 2) return true;
      // North American numbers have no trunk prefix; written compact (2147483647) they are
      // as likely any other ten-digit number, so only a naming word makes them phones.
      if (region === 'US' || region === 'CA') return /[ .()/-]/.test(raw) || isNamed(run);
      if (isNamed(run)) return true;
      // Compact and without the trunk prefix: a mobile only where people write it that way.
      return WRITTEN_WITHOUT_TRUNK.has(region) && number.getType() === 'MOBILE';
    }
    // A foreign plan: a mobile in its usual national shape, or one the text calls a phone.
    return isNamed(run) || number.getType() === 'MOBILE';
  }
  // Possible but not assigned (e.g. the 555 numbers of films and examples): still a phone
  // number when written like one.
  if (!number.isPossible()) return false;
  if (run.international || nanpShape(raw)) return true;
  // Dialled from home with the trunk prefix and grouped (07700 900 456): written as a phone number.
  const home = region !== undefined && region === run.region;
  if (home && digits.length > number.nationalNumber.length && /[ .()/-]/.test(raw)) return true;
  return isNamed(run);
}

/** Formatting only phone numbers get: an area code in brackets, or 3-3-4. */
function nanpShape(raw: string): boolean {
  return /^\(\d{2,5}\)[ .-]?\d/.test(raw) || /^\d{3}([ .-])\d{3}\1\d{4}$/.test(raw);
}

/** The same, or a trunk 0 followed by groups. */
function strongShape(raw: string): boolean {
  return nanpShape(raw) || /^0\d{1,4}(?:[ -]\d{2,5}){1,4}$/.test(raw);
}

/** Past the library budget: the shapes the old hand-written rules accepted. */
function byShape(run: string, digits: string, named: () => boolean): boolean {
  if (run.startsWith('+')) return digits.length >= 8 && digits.length <= 15;
  if (/^1[3-9]\d{9}$/.test(digits) && /^[\d -]+$/.test(run)) return true;
  if (/^0\d{8,11}$/.test(digits) && !run.includes('.')) return true;
  if (strongShape(run)) return true;
  return digits.length <= 13 && named();
}
