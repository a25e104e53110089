// Card numbers and IBANs. Both carry check digits, but a checksum alone is not enough for
// cards: one digit string in ten passes Luhn, so ticket and order numbers do too. A card
// number must also start like a real card (issuer ranges) with a length that range uses, and
// be written like one: in groups of four (or Amex/Diners 4-6-5 / 4-6-4) with one kind of
// separator, or compact where no word before it names it an order, ticket or the like.
import { ibanValid, isbnValid, luhnValid } from './checksums';
import { saysNotPrivate, saysOneOf, wordList } from './context';
import type { Candidate } from './types';

/** [first digits, lengths]: Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir, Elo, RuPay, Hipercard. */
const ISSUERS: Array<[RegExp, number[]]> = [
  [/^4/, [13, 16, 19]],
  [/^(?:5[1-5]|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/, [16]],
  [/^3[47]/, [15]],
  [/^(?:6011|64[4-9]|65)/, [16, 17, 18, 19]],
  [/^35(?:2[89]|[3-8]\d)/, [16, 17, 18, 19]],
  [/^3(?:0[0-5]|[689])/, [14, 15, 16, 17, 18, 19]],
  [/^62/, [16, 17, 18, 19]],
  [/^(?:5018|5020|5038|5893|6304|6759|676[1-3])/, [12, 13, 14, 15, 16, 17, 18, 19]],
  [/^220[0-4]/, [16, 17, 18, 19]],
  [/^(?:4011|4312|4389|4514|4576|5041|5066|5067|509|6277|636[23]|650|6516|6550)/, [16]],
  [/^(?:60|6521|6522|508)/, [16]],
  [/^(?:606282|3841)/, [13, 16, 19]],
];

export function issuerLength(digits: string): boolean {
  return ISSUERS.some(([prefix, lengths]) => prefix.test(digits) && lengths.includes(digits.length));
}

const CARD_WORDS = wordList([
  'card',
  'credit card',
  'debit card',
  'cc',
  'visa',
  'mastercard',
  'amex',
  'maestro',
  'cartão',
  'cartao',
  'tarjeta',
  'carte',
  'karte',
  'kreditkarte',
  'carta',
  '卡號',
  '卡号',
  '信用卡',
  '金融卡',
  'カード',
  '카드',
  'карта',
  'карты',
  'بطاقة',
  'कार्ड',
]);

// Digits joined by single spaces, hyphens or dots; never touching another digit or letter.
const CARD_RUN = /(?<![\dA-Za-z.,-])\d(?:[ .-]?\d){11,18}(?![\dA-Za-z]|[.,-]\d)/g;

function wellGrouped(run: string, digits: string): boolean {
  if (run.length === digits.length) return true; // compact; context decides
  const separators = new Set(run.replace(/\d/g, ''));
  if (separators.size !== 1) return false;
  const groups = run
    .split(/[ .-]/)
    .map((g) => g.length)
    .join('-');
  return /^4-4-4-4(?:-[1-3])?$/.test(groups) || groups === '4-6-5' || groups === '4-6-4' || groups === '4-4-4-3' || groups === '4-4-5' || groups === '4-4-4-1';
}

export function findCards(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(CARD_RUN)) {
    const run = m[0];
    const digits = run.replace(/\D/g, '');
    if (digits.length < 12 || digits.length > 19) continue;
    if (/^(\d)\1+$/.test(digits) || !luhnValid(digits) || !issuerLength(digits)) continue;
    if (!wellGrouped(run, digits)) continue;
    // Compact: ISBNs and numbers named as something else (order, ticket…) are left alone.
    if (run.length === digits.length && !saysOneOf(text, m.index, CARD_WORDS)) if (isbnValid(digits) || saysNotPrivate(text, m.index)) continue;
    out.push({ kind: 'card', start: m.index, end: m.index + run.length });
  }
  return out;
}

// Compact or in groups of four. `(?: ?[A-Z0-9]){11,30}` eats one character per step with
// an optional single space before it: one way to match any string, so no backtracking blow-up.
const IBAN_RUN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![a-z0-9])/g;

// IBAN length by country (ISO 13616 registry): the checksum is tried once per candidate, at
// the length its country uses, instead of at every group boundary.
const IBAN_LENGTHS: Record<string, number> = Object.fromEntries(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 ES24 FI18 FO18 FR27 ' +
    'GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ' +
    'ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 ' +
    'TR26 UA29 VA22 VG24 XK20'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

export function findIbans(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(IBAN_RUN)) {
    // A trailing word after the last group can look like one more group, so shorten from
    // the end until the checksum holds.
    const value = m[0];
    const ends: number[] = [];
    const length = IBAN_LENGTHS[value.slice(0, 2)];
    if (length) {
      // The end where the country's length is reached, if it falls at the end or a space.
      let count = 0;
      for (let i = 0; i < value.length && count < length; i++) if (value[i] !== ' ') if (++count === length) ends.push(i + 1);
      if (ends[0] !== undefined && ends[0] < value.length && value[ends[0]] !== ' ') ends.pop();
    } else {
      ends.push(value.length);
      for (let i = value.length - 1; i > 0; i--) if (value[i] === ' ') ends.push(i);
    }
    for (const end of ends) {
      if (ibanValid(value.slice(0, end).replace(/ /g, ''))) {
        out.push({ kind: 'iban', start: m.index, end: m.index + end });
        break;
      }
    }
  }
  return out;
}
