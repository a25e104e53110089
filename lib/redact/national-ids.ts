// National identity numbers, only where a check digit makes a false alarm unlikely:
// Brazil's CPF, Taiwan's national ID, Spain's DNI and NIE, China's resident ID (18
// characters with a birth date), India's Aadhaar. Shapes that are also everyday numbers
// (11 bare digits for a CPF, 12 for an Aadhaar) count only when written the official way
// or named ("CPF", "Aadhaar", "आधार").
import { aadhaarValid, chineseResidentIdValid, cpfValid, spanishIdValid, taiwanIdValid } from './checksums';
import { saysOneOf, wordList } from './context';
import type { Candidate } from './types';

const CPF_WORD = wordList(['cpf', 'físicas', 'fisicas']);
const AADHAAR_WORD = wordList(['aadhaar', 'aadhar', 'uidai', 'आधार', 'aadhaar card', 'aadhar card', 'आधार नंबर', 'आधार संख्या']);

interface IdRule {
  pattern: RegExp;
  valid(match: string, text: string, index: number): boolean;
}

const RULES: IdRule[] = [
  {
    // 123.456.789-09 (official) or 12345678909 after "CPF".
    pattern: /(?<![\d.-])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\d]|[.-]\d)/g,
    valid: (m, text, i) => cpfValid(m.replace(/\D/g, '')) && (/^\d{3}\.\d{3}\.\d{3}-\d{2}$/.test(m) || saysOneOf(text, i, CPF_WORD)),
  },
  {
    pattern: /(?<![A-Za-z0-9])[A-Z][1289]\d{8}(?![A-Za-z0-9])/g,
    valid: (m) => taiwanIdValid(m),
  },
  {
    pattern: /(?<![A-Za-z0-9-])(?:\d{8}|[XYZ]-?\d{7})-?[A-Z](?![A-Za-z0-9])/g,
    valid: (m) => spanishIdValid(m),
  },
  {
    pattern: /(?<![A-Za-z0-9])[1-8]\d{16}[\dXx](?![A-Za-z0-9])/g,
    valid: (m) => chineseResidentIdValid(m),
  },
  {
    // 2345 6789 0123 / 2345-6789-0123, or 12 digits after "Aadhaar".
    pattern: /(?<![\d.,-]|\d[ -])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\d]|[ .,-]\d)/g,
    valid: (m, text, i) => aadhaarValid(m.replace(/\D/g, '')) && (/\d{4}[ -]\d{4}[ -]\d{4}/.test(m) || saysOneOf(text, i, AADHAAR_WORD)),
  },
];

export function findNationalIds(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const rule of RULES)
    for (const m of text.matchAll(rule.pattern))
      if (rule.valid(m[0], text, m.index)) out.push({ kind: 'national_id', start: m.index, end: m.index + m[0].length });
  return out;
}
