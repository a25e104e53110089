// Inputs built to make pattern matchers slow (issue 11: one 200,000-character answer made the
// old IBAN pattern run for 14 s). Here: what redaction finds in them is right and well
// formed. How long it takes is measured by `npm run bench:redact`, not asserted here.
import { describe, expect, it } from 'vitest';
import { findRedactions, type Redaction } from '../../lib/redact';
import { ADVERSARIAL, MAX_ANSWER, fill } from '../fixtures/redaction/adversarial';

function wellFormed(text: string, list: Redaction[]) {
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    expect(r.end).toBeGreaterThan(r.start);
    expect(text.slice(r.start, r.end)).toBe(r.original);
    if (i > 0) expect(r.start).toBeGreaterThanOrEqual(list[i - 1]!.end);
  }
}

function kinds(list: Redaction[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of list) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
}

describe('adversarial inputs of 200,000 characters', () => {
  it.each(ADVERSARIAL.map((a) => [a.name, a.text] as const))('returns ordered, non-overlapping redactions that quote the text: %s', (_name, make) => {
    const text = make();
    expect(text.length).toBeLessThanOrEqual(MAX_ANSWER);
    for (const locale of ['zh-TW', 'en-US', undefined]) wellFormed(text, findRedactions(text, { locale }));
  });

  it('finds nothing in runs of one character', () => {
    for (const unit of ['1', 'a', ' ', '@', '.', '-', '+']) expect(findRedactions(fill(unit), { locale: 'en-US' })).toEqual([]);
  });

  it('finds no IBAN in IBAN-shaped runs whose checksum fails, nor a card in Luhn-valid digits without an issuer', () => {
    expect(kinds(findRedactions('DE89' + fill('3704', MAX_ANSWER - 4)))).not.toHaveProperty('iban');
    expect(kinds(findRedactions(fill('DE89 3704 0044 ')))).not.toHaveProperty('iban');
    expect(findRedactions(fill('1'))).toEqual([]);
  });

  it('still finds every real one in a flood of them', () => {
    expect(kinds(findRedactions(fill('529.982.247-25 '), { locale: 'pt-BR' }))).toEqual({ national_id: Math.floor(MAX_ANSWER / 15) });
    expect(kinds(findRedactions(fill('A123456789 '), { locale: 'zh-TW' }))).toEqual({ national_id: Math.ceil(MAX_ANSWER / 11) - 1 });
    // Past the library budget phone numbers are judged by shape: these are still found.
    const phones = findRedactions(fill('0912-345-678, '), { locale: 'zh-TW' });
    expect(phones.length).toBe(Math.floor(MAX_ANSWER / 14));
    expect(new Set(phones.map((r) => r.original))).toEqual(new Set(['0912-345-678']));
  });

  it('redacts every PEM header left without an end, and hex digests not at all', () => {
    const pem = fill('-----BEGIN PRIVATE KEY-----\n');
    expect(kinds(findRedactions(pem))).toEqual({ secret: Math.floor(MAX_ANSWER / 28) });
    expect(findRedactions(fill('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 '))).toEqual([]);
  });
});
