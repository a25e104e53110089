// Locale conventions found by pattern, with the locale's own form from Intl (DESIGN §13):
// numeric dates in another order, 12-hour times for a 24-hour locale (and the reverse),
// decimal and thousands separators, Fahrenheit/miles/pounds/feet outside the countries that
// use them, prices in a currency foreign to the reader, and emergency numbers of another
// country ("call 911" to a reader in Germany). Every finding is a suggestion the user
// judges: a date like 06/07/2012 is ambiguous, so its note says which reading was assumed.
import type { Category, Severity } from '../../report';
import { localeParts } from '../glossary-source';
import type { Suggestion, SuggestionSource } from '../types';

const SOURCE = 'glossary:conventions' as const;

interface Finding {
  start: number;
  end: number;
  suggestion: string;
  category: Category;
  severity: Severity;
  note: string;
}

/** Countries that use Fahrenheit and miles in everyday life. */
const IMPERIAL_TEMPERATURE = new Set(['US', 'LR', 'MM', 'BS', 'KY', 'PW', 'FM', 'MH']);
const MILES = new Set(['US', 'LR', 'MM', 'GB']);
const POUNDS_FEET = new Set(['US', 'LR', 'MM']);

/** Local currency per region (Intl has no region → currency table). */
export const REGION_CURRENCY: Record<string, string> = {
  US: 'USD',
  CA: 'CAD',
  MX: 'MXN',
  BR: 'BRL',
  AR: 'ARS',
  CL: 'CLP',
  CO: 'COP',
  PE: 'PEN',
  GB: 'GBP',
  IE: 'EUR',
  DE: 'EUR',
  AT: 'EUR',
  FR: 'EUR',
  BE: 'EUR',
  NL: 'EUR',
  LU: 'EUR',
  IT: 'EUR',
  ES: 'EUR',
  PT: 'EUR',
  GR: 'EUR',
  FI: 'EUR',
  SK: 'EUR',
  SI: 'EUR',
  EE: 'EUR',
  LV: 'EUR',
  LT: 'EUR',
  HR: 'EUR',
  MT: 'EUR',
  CY: 'EUR',
  CH: 'CHF',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  RO: 'RON',
  BG: 'BGN',
  RS: 'RSD',
  UA: 'UAH',
  RU: 'RUB',
  TR: 'TRY',
  IL: 'ILS',
  SA: 'SAR',
  AE: 'AED',
  EG: 'EGP',
  MA: 'MAD',
  NG: 'NGN',
  KE: 'KES',
  TZ: 'TZS',
  ZA: 'ZAR',
  IN: 'INR',
  PK: 'PKR',
  BD: 'BDT',
  LK: 'LKR',
  CN: 'CNY',
  TW: 'TWD',
  HK: 'HKD',
  MO: 'MOP',
  JP: 'JPY',
  KR: 'KRW',
  SG: 'SGD',
  MY: 'MYR',
  ID: 'IDR',
  TH: 'THB',
  VN: 'VND',
  PH: 'PHP',
  AU: 'AUD',
  NZ: 'NZD',
  IR: 'IRR',
};

/** Emergency numbers per region: the one to suggest first, then the others that are right there. */
export const EMERGENCY_NUMBERS: Record<string, { main: string; also: string[] }> = {
  US: { main: '911', also: [] },
  CA: { main: '911', also: [] },
  MX: { main: '911', also: [] },
  AR: { main: '911', also: ['107', '101', '100'] },
  PH: { main: '911', also: [] },
  BR: { main: '190', also: ['192', '193'] },
  CL: { main: '131', also: ['133', '132'] },
  CO: { main: '123', also: [] },
  PE: { main: '105', also: ['116', '106'] },
  GB: { main: '999', also: ['112'] },
  IE: { main: '112', also: ['999'] },
  AU: { main: '000', also: ['112'] },
  NZ: { main: '111', also: [] },
  IN: { main: '112', also: ['100', '101', '102', '108'] },
  CN: { main: '110', also: ['120', '119'] },
  TW: { main: '110', also: ['119', '112'] },
  HK: { main: '999', also: ['112'] },
  MO: { main: '999', also: ['112'] },
  JP: { main: '110', also: ['119'] },
  KR: { main: '112', also: ['119'] },
  SG: { main: '999', also: ['995'] },
  MY: { main: '999', also: ['112'] },
  ID: { main: '112', also: ['110', '118', '119'] },
  TH: { main: '191', also: ['1669', '199'] },
  VN: { main: '113', also: ['114', '115'] },
  ZA: { main: '10111', also: ['112', '10177'] },
  NG: { main: '112', also: ['199'] },
  KE: { main: '999', also: ['112'] },
  EG: { main: '122', also: ['123', '180'] },
  SA: { main: '911', also: ['999', '997', '998'] },
  AE: { main: '999', also: ['998', '997'] },
  IL: { main: '100', also: ['101', '102'] },
  TR: { main: '112', also: [] },
  RU: { main: '112', also: ['102', '103', '101'] },
  UA: { main: '112', also: ['102', '103', '101'] },
  CH: { main: '112', also: ['117', '144', '118'] },
  PK: { main: '15', also: ['1122', '115'] },
  BD: { main: '999', also: [] },
  IR: { main: '110', also: ['115', '125'] },
};
/** In the EU (and much of Europe) 112 is the number everywhere. */
const EU_112 = [
  'DE',
  'AT',
  'FR',
  'BE',
  'NL',
  'LU',
  'IT',
  'ES',
  'PT',
  'GR',
  'FI',
  'SK',
  'SI',
  'EE',
  'LV',
  'LT',
  'HR',
  'MT',
  'CY',
  'SE',
  'NO',
  'DK',
  'PL',
  'CZ',
  'HU',
  'RO',
  'BG',
  'RS',
  'IS',
];
for (const region of EU_112) EMERGENCY_NUMBERS[region] ??= { main: '112', also: [] };

const EMERGENCY_CONTEXT =
  /call|dial|ring|phone|emergenc|emergência|notruf|notfall|wähl|ruf|urgence|appel|llam|marc|ligue|ligar|chiam|紧急|緊急|急救|报警|報警|撥打|拨打|電話|电话|通報|119|110|긴급|신고|전화/i;

/** Currencies recognised in prices, by symbol or word. `$` and `¥` are shared, so checked apart. */
const CURRENCY_WORDS: Array<[RegExp, string]> = [
  [/^(?:USD|US\$|美元|美金)$/i, 'USD'],
  [/^(?:EUR|€|euros?)$/i, 'EUR'],
  [/^(?:GBP|£)$/i, 'GBP'],
  [/^(?:CNY|RMB|人民币|人民幣)$/i, 'CNY'],
  [/^(?:JPY|円)$/i, 'JPY'],
  [/^(?:INR|₹|Rs\.?)$/i, 'INR'],
  [/^(?:KRW|₩)$/i, 'KRW'],
  [/^(?:RUB|₽)$/i, 'RUB'],
  [/^(?:BRL|R\$)$/i, 'BRL'],
];

interface Conventions {
  tag: string;
  region?: string;
  dateOrder: string; // e.g. 'DMY'
  hour12: boolean;
  decimal: string;
  group: string;
  currency?: string;
}

const conventionsCache = new Map<string, Conventions>();

export function conventionsOf(tag: string): Conventions | undefined {
  const cached = conventionsCache.get(tag);
  if (cached) return cached;
  const parts = localeParts(tag);
  if (!parts) return undefined;
  let dateOrder = '';
  let hour12 = false;
  let decimal = '.';
  let group = ',';
  try {
    for (const part of new Intl.DateTimeFormat(tag, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(2012, 5, 7))) {
      if (part.type === 'day') dateOrder += 'D';
      else if (part.type === 'month') dateOrder += 'M';
      else if (part.type === 'year') dateOrder += 'Y';
    }
    const cycle = new Intl.DateTimeFormat(tag, { hour: 'numeric' }).resolvedOptions().hourCycle;
    hour12 = cycle === 'h11' || cycle === 'h12';
    for (const part of new Intl.NumberFormat(tag).formatToParts(1234567.5)) {
      if (part.type === 'decimal') decimal = part.value;
      if (part.type === 'group') group = part.value;
    }
  } catch {
    return undefined;
  }
  const result: Conventions = {
    tag,
    region: parts.region,
    dateOrder,
    hour12,
    decimal,
    group,
    currency: parts.region ? REGION_CURRENCY[parts.region] : undefined,
  };
  conventionsCache.set(tag, result);
  return result;
}

const ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(tag: string, kind: 'date' | 'time'): Intl.DateTimeFormat {
  const key = `${tag}/${kind}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, kind === 'date' ? { year: 'numeric', month: '2-digit', day: '2-digit' } : { hour: 'numeric', minute: '2-digit' });
    dateFormats.set(key, format);
  }
  return format;
}

function formatDate(c: Conventions, y: number, m: number, d: number): string {
  return dateTimeFormat(c.tag, 'date').format(new Date(y, m - 1, d));
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const date = new Date(y, m - 1, d);
  return date.getMonth() === m - 1 && date.getDate() === d;
}

function findDates(answer: string, c: Conventions, out: Finding[]) {
  const numeric = /(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|\.\d)/g;
  for (const m of answer.matchAll(numeric)) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const year = m[4]!.length === 2 ? 2000 + Number(m[4]) : Number(m[4]);
    // Which reading does the text use? Dotted dates are day-first everywhere; otherwise it
    // is unambiguous when one side is over 12, and chatbots default to the US order when not.
    let reading: 'MDY' | 'DMY';
    let ambiguous = false;
    if (m[2] === '.') {
      if (b > 12) continue;
      reading = 'DMY';
    } else if (a > 12 && b <= 12) reading = 'DMY';
    else if (b > 12 && a <= 12) reading = 'MDY';
    else if (a <= 12 && b <= 12) {
      reading = 'MDY';
      ambiguous = true;
    } else continue;
    const [month, day] = reading === 'MDY' ? [a, b] : [b, a];
    if (!validDate(year, month, day)) continue;
    const localReading = c.dateOrder === 'MDY' ? 'MDY' : c.dateOrder === 'DMY' ? 'DMY' : 'YMD';
    if (localReading === reading) continue;
    const suggestion = formatDate(c, year, month, day);
    if (suggestion === m[0]) continue;
    out.push({
      start: m.index!,
      end: m.index! + m[0].length,
      suggestion,
      category: 'date_time_format',
      severity: 'minor',
      note: ambiguous
        ? `Read as month/day/year (${ENGLISH_MONTHS[month - 1]} ${day}); a reader here reads it as day/month.`
        : `Date in ${reading === 'MDY' ? 'month/day/year' : 'day/month/year'} order; this locale writes ${c.dateOrder.split('').join('/')}.`,
    });
  }
  // "June 7, 2012" in English for a reader who writes the day first.
  if (c.tag.startsWith('en') && c.dateOrder !== 'MDY') {
    const written = new RegExp(`\\b(${ENGLISH_MONTHS.join('|')}) (\\d{1,2}), (\\d{4})\\b`, 'g');
    for (const m of answer.matchAll(written)) {
      out.push({
        start: m.index!,
        end: m.index! + m[0].length,
        suggestion: `${Number(m[2])} ${m[1]} ${m[3]}`,
        category: 'date_time_format',
        severity: 'preference',
        note: 'Day before month in this locale.',
      });
    }
  }
}

function findTimes(answer: string, c: Conventions, out: Finding[]) {
  const format = (h: number, min: number) => dateTimeFormat(c.tag, 'time').format(new Date(2000, 0, 1, h, min));
  if (!c.hour12) {
    const twelve = /\b(1[0-2]|0?[1-9])(?::([0-5]\d))?\s?([ap]\.m\.|[ap]m)(?![\p{L}])/giu;
    for (const m of answer.matchAll(twelve)) {
      // "3 am" can be German ("um 3 am Bahnhof"): without minutes, only AM/PM or a.m./p.m.
      if (!m[2] && /^[ap]m$/.test(m[3]!)) continue;
      let h = Number(m[1]) % 12;
      if (/^p/i.test(m[3]!)) h += 12;
      out.push({
        start: m.index!,
        end: m.index! + m[0].length,
        suggestion: format(h, Number(m[2] ?? 0)),
        category: 'date_time_format',
        severity: 'minor',
        note: 'This locale uses the 24-hour clock.',
      });
    }
  } else {
    const twentyFour = /(?<![\d:.])(1[3-9]|2[0-3]):([0-5]\d)(?![\d:]|\s?(?:a\.?m|p\.?m|Uhr))/giu;
    for (const m of answer.matchAll(twentyFour)) {
      out.push({
        start: m.index!,
        end: m.index! + m[0].length,
        suggestion: format(Number(m[1]), Number(m[2])),
        category: 'date_time_format',
        severity: 'preference',
        note: 'This locale usually writes times on the 12-hour clock.',
      });
    }
  }
}

/** A number written with `group`/`decimal` separators, as a value and its fraction digits. */
function parseNumber(text: string, group: string, decimal: string): { value: number; fraction: number } | undefined {
  const [whole, fraction = ''] = text.split(decimal);
  const digits = whole!.split(group).join('');
  if (!/^\d+$/.test(digits) || (fraction && !/^\d+$/.test(fraction))) return undefined;
  return { value: Number(`${digits}.${fraction || '0'}`), fraction: fraction.length };
}

const formatters = new Map<string, Intl.NumberFormat>();
/** Intl formatters are costly to build: one per locale and number of decimals. */
function numberFormat(tag: string, fraction: number): Intl.NumberFormat {
  const key = `${tag}/${fraction}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(tag, { minimumFractionDigits: fraction, maximumFractionDigits: fraction });
    formatters.set(key, format);
  }
  return format;
}

function findNumbers(answer: string, c: Conventions, out: Finding[]) {
  const styles: Array<{ pattern: RegExp; group: string; decimal: string }> = [
    // 1,234,567.89 or 1,234.5 (comma groups, dot decimals)
    { pattern: /(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]|\.\d)/g, group: ',', decimal: '.' },
    // 1.234.567,89 or 1.234,5
    { pattern: /(?<![\d.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.]|,\d)/g, group: '.', decimal: ',' },
  ];
  for (const style of styles) {
    // The same separators can still group differently (India: 12,34,567), so every
    // unambiguous number is compared with the locale's own form.
    for (const m of answer.matchAll(style.pattern)) {
      const text = m[0];
      const groups = text.split(style.decimal)[0]!.split(style.group).length - 1;
      const hasFraction = text.includes(style.decimal);
      // "1,234" alone could be a decimal in the other convention: too ambiguous to suggest.
      if (groups < 2 && !hasFraction) continue;
      const parsed = parseNumber(text, style.group, style.decimal);
      if (!parsed) continue;
      const suggestion = numberFormat(c.tag, parsed.fraction).format(parsed.value);
      if (suggestion === text) continue;
      out.push({
        start: m.index!,
        end: m.index! + text.length,
        suggestion,
        category: 'number_format',
        severity: 'minor',
        note: `This locale writes ${c.decimal === ',' ? 'a decimal comma' : 'a decimal point'}${c.group.trim() ? ` and groups thousands with "${c.group}"` : ' and groups thousands with a space'}.`,
      });
    }
  }
  // A lone decimal before a unit or percent sign: 3.5 kg for a decimal-comma reader.
  const foreignDecimal = c.decimal === ',' ? '.' : c.decimal === '.' ? ',' : undefined;
  if (foreignDecimal) {
    const escaped = foreignDecimal === '.' ? '\\.' : ',';
    const unitDecimal = new RegExp(`(?<![\\d.,])\\d+${escaped}\\d+(?=\\s?(?:%|kg|km|cm|mm|m|g|l|ml|°|€|h)(?![\\p{L}]))`, 'gu');
    for (const m of answer.matchAll(unitDecimal)) {
      const [whole, fraction] = m[0].split(foreignDecimal);
      const suggestion = numberFormat(c.tag, fraction!.length).format(Number(`${whole}.${fraction}`));
      if (suggestion !== m[0])
        out.push({
          start: m.index!,
          end: m.index! + m[0].length,
          suggestion,
          category: 'number_format',
          severity: 'minor',
          note: `This locale writes ${c.decimal === ',' ? 'a decimal comma' : 'a decimal point'}.`,
        });
    }
  }
}

function localNumber(c: Conventions, value: number, digits = 0): string {
  const rounded = Math.round(value * 10 ** digits) / 10 ** digits;
  return numberFormat(c.tag, Number.isInteger(rounded) ? 0 : digits).format(rounded);
}

function readNumber(text: string): number {
  return Number(text.replace(',', '.'));
}

function findUnits(answer: string, c: Conventions, out: Finding[]) {
  const region = c.region ?? '';
  const push = (m: RegExpMatchArray, suggestion: string, note: string) =>
    out.push({ start: m.index!, end: m.index! + m[0].length, suggestion, category: 'units', severity: 'minor', note });
  const num = String.raw`(-?\d+(?:[.,]\d+)?)`;
  if (!IMPERIAL_TEMPERATURE.has(region)) {
    for (const m of answer.matchAll(
      new RegExp(`${num}\\s?(?:°\\s?F|℉|degrees Fahrenheit|grados Fahrenheit|graus Fahrenheit|Grad Fahrenheit|華氏|华氏)(?![\\p{L}])`, 'gu'),
    )) {
      const celsius = ((readNumber(m[1]!) - 32) * 5) / 9;
      push(m, `${localNumber(c, celsius)} °C`, 'Fahrenheit converted to Celsius.');
    }
  } else {
    for (const m of answer.matchAll(new RegExp(`${num}\\s?(?:°\\s?C|℃|degrees Celsius)(?![\\p{L}])`, 'gu'))) {
      push(m, `${localNumber(c, (readNumber(m[1]!) * 9) / 5 + 32)} °F`, 'Celsius converted to Fahrenheit.');
    }
  }
  if (!MILES.has(region)) {
    for (const m of answer.matchAll(new RegExp(`${num}\\s?(?:miles?|mi|millas?|milhas?|Meilen|Meile|milles?|英里)(?![\\p{L}])`, 'gu'))) {
      push(m, `${localNumber(c, readNumber(m[1]!) * 1.609344)} km`, 'Miles converted to kilometres.');
    }
    for (const m of answer.matchAll(new RegExp(`${num}\\s?(?:mph|miles per hour)(?![\\p{L}])`, 'gu'))) {
      push(m, `${localNumber(c, readNumber(m[1]!) * 1.609344)} km/h`, 'Miles per hour converted to km/h.');
    }
  }
  if (!POUNDS_FEET.has(region)) {
    for (const m of answer.matchAll(new RegExp(`${num}\\s?(?:lbs?|pounds? of|磅)(?![\\p{L}])`, 'gu'))) {
      push(m, `${localNumber(c, readNumber(m[1]!) * 0.45359237, 1)} kg`, 'Pounds converted to kilograms.');
    }
    for (const m of answer.matchAll(new RegExp(`${num}\\s?(?:feet|foot|ft|pies|pés|Fuß|英尺)(?![\\p{L}])`, 'gu'))) {
      push(m, `${localNumber(c, readNumber(m[1]!) * 0.3048, 1)} m`, 'Feet converted to metres.');
    }
    for (const m of answer.matchAll(new RegExp(`${num}\\s?(?:gallons?|galones|galões|Gallonen|加侖|加仑)(?![\\p{L}])`, 'gu'))) {
      push(m, `${localNumber(c, readNumber(m[1]!) * 3.785411784, 1)} L`, 'US gallons converted to litres.');
    }
  }
}

const symbols = new Map<string, string>();
function currencySymbol(c: Conventions, code: string): string {
  const key = `${c.tag}/${code}`;
  const known = symbols.get(key);
  if (known) return known;
  const symbol = currencySymbolUncached(c, code);
  symbols.set(key, symbol);
  return symbol;
}

function currencySymbolUncached(c: Conventions, code: string): string {
  try {
    return new Intl.NumberFormat(c.tag, { style: 'currency', currency: code }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? code;
  } catch {
    return code;
  }
}

function findCurrency(answer: string, c: Conventions, out: Finding[]) {
  const local = c.currency;
  if (!local) return;
  const localSymbol = currencySymbol(c, local);
  const suggestion = localSymbol === local ? local : `${localSymbol} (${local})`;
  const amount = String.raw`\d+(?:[.,]\d+)*`;
  const prefixed = new RegExp(`(US\\$|R\\$|\\$|€|£|¥|₹|₩|₽)\\s?${amount}`, 'g');
  const suffixed = new RegExp(`${amount}\\s?(USD|EUR|GBP|CNY|RMB|JPY|INR|KRW|RUB|BRL|euros?|美元|美金|人民币|人民幣|円|€)(?![\\p{L}])`, 'gu');
  const found = (m: RegExpMatchArray, word: string) => {
    let code: string | undefined;
    if (word === '$') code = localSymbol.includes('$') ? undefined : 'USD';
    else if (word === '¥') code = local === 'JPY' || local === 'CNY' ? undefined : 'JPY/CNY';
    else code = CURRENCY_WORDS.find(([re]) => re.test(word))?.[1];
    if (!code || code === local) return;
    out.push({
      start: m.index!,
      end: m.index! + m[0].length,
      suggestion,
      category: 'currency',
      severity: 'minor',
      note: `An amount in ${code}; a reader here pays in ${local}.`,
    });
  };
  for (const m of answer.matchAll(prefixed)) found(m, m[1]!);
  for (const m of answer.matchAll(suffixed)) found(m, m[1]!);
}

function findEmergencyNumbers(answer: string, c: Conventions, out: Finding[]) {
  const local = c.region ? EMERGENCY_NUMBERS[c.region] : undefined;
  if (!local) return;
  const right = new Set([local.main, ...local.also]);
  for (const m of answer.matchAll(/(?<![\d/.,-])(911|999|112|000|110|119|190)(?![\d/-]|[.,]\d)/g)) {
    const number = m[1]!;
    if (right.has(number)) continue;
    const around = answer.slice(Math.max(0, m.index! - 40), m.index! + number.length + 40);
    if (!EMERGENCY_CONTEXT.test(around.replace(number, ''))) continue;
    out.push({
      start: m.index!,
      end: m.index! + number.length,
      suggestion: local.main,
      category: 'local_facts',
      severity: 'critical',
      note: `${number} is not the emergency number here; it is ${[local.main, ...local.also].join(', ')}.`,
    });
  }
}

export const conventions: SuggestionSource = {
  name: 'conventions',
  suggest(answer, expected) {
    const c = conventionsOf(expected);
    if (!c) return [];
    const found: Finding[] = [];
    findDates(answer, c, found);
    findTimes(answer, c, found);
    findNumbers(answer, c, found);
    findUnits(answer, c, found);
    findCurrency(answer, c, found);
    findEmergencyNumbers(answer, c, found);
    return found.map((f): Suggestion => ({ ...f, exact: answer.slice(f.start, f.end), source: SOURCE }));
  },
};
