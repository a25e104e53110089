// Check digits that make a number safe to call private (or safe to leave alone): a random
// digit string passes each of these one time in 10 to 97, and the detectors ask for a
// number's shape or a naming word besides.

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

/** Brazil's CPF: two mod-11 check digits over 9 digits; all-equal digits are refused. */
export function cpfValid(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  for (const n of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d[i]! * (n + 1 - i);
    const check = ((sum * 10) % 11) % 10;
    if (check !== d[n]) return false;
  }
  return true;
}

// Taiwan: the letter stands for a two-digit code (A=10 … Z=33, in this historical order).
const TW_LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';

/** Taiwan's national ID (and the resident certificate number of the same shape since 2021). */
export function taiwanIdValid(id: string): boolean {
  if (!/^[A-Z][1289]\d{8}$/.test(id)) return false;
  const code = TW_LETTERS.indexOf(id[0]!) + 10;
  const weights = [8, 7, 6, 5, 4, 3, 2, 1];
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 0; i < 8; i++) sum += Number(id[i + 1]) * weights[i]!;
  sum += Number(id[9]);
  return sum % 10 === 0;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spain's DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is mod 23. */
export function spanishIdValid(id: string): boolean {
  const compact = id.toUpperCase().replace(/[\s.-]/g, '');
  let number: string;
  if (/^\d{8}[A-Z]$/.test(compact)) number = compact.slice(0, 8);
  else if (/^[XYZ]\d{7}[A-Z]$/.test(compact)) number = String('XYZ'.indexOf(compact[0]!)) + compact.slice(1, 8);
  else return false;
  return DNI_LETTERS[Number(number) % 23] === compact[8];
}

/** China's 18-character resident identity number: ISO 7064 MOD 11-2 and a real birth date. */
export function chineseResidentIdValid(id: string): boolean {
  const value = id.toUpperCase();
  if (!/^[1-8]\d{16}[\dX]$/.test(value)) return false;
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return value[17] === (check === 10 ? 'X' : String(check));
}

// Verhoeff's dihedral-group tables (India's Aadhaar uses this check digit).
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

export function verhoeffValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let c = 0;
  for (let i = 0; i < digits.length; i++) c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![digits.charCodeAt(digits.length - 1 - i) - 48]!]!;
  return c === 0;
}

/** India's Aadhaar: 12 digits, not starting with 0 or 1, Verhoeff check digit. */
export function aadhaarValid(digits: string): boolean {
  return /^[2-9]\d{11}$/.test(digits) && verhoeffValid(digits);
}

/** ISBN-13 (978/979, mod-10 weights 1,3) or ISBN-10 (mod 11): books, never private. */
export function isbnValid(compact: string): boolean {
  if (/^97[89]\d{10}$/.test(compact)) {
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += Number(compact[i]) * (i % 2 ? 3 : 1);
    return sum % 10 === 0;
  }
  if (/^\d{9}[\dX]$/.test(compact)) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (compact[i] === 'X' ? 10 : Number(compact[i])) * (10 - i);
    return sum % 11 === 0;
  }
  return false;
}
