import { describe, expect, it } from 'vitest';
import { applyRedactions, findRedactions, findReportRedactions, ibanValid, luhnValid, redactReport, type RedactionKind } from '../../lib/redact';
import { UploadedReport } from '../../lib/report';
import { describe as describeQuote } from '../../lib/anchoring';
import { sampleUploaded } from '../helpers/sample-reports';

/** The kinds and originals found in a text, for compact expectations. */
function found(text: string): Array<[RedactionKind, string]> {
  return findRedactions(text).map((r) => [r.kind, r.original]);
}

describe('checksums', () => {
  it('accepts card numbers that pass Luhn and refuses one digit off', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('accepts real IBAN check digits and refuses altered ones', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('FR1420041010050500013M02606')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE88370400440532013000')).toBe(false);
  });
});

describe('findRedactions', () => {
  it('finds e-mail addresses, including non-Latin ones, without trailing punctuation', () => {
    expect(found('Write to jane.doe+news@example.co.uk.')).toEqual([['email', 'jane.doe+news@example.co.uk']]);
    expect(found('聯絡 王小明@例子.台灣 謝謝')).toEqual([['email', '王小明@例子.台灣']]);
    expect(found('an @handle or user@localhost is not an address')).toEqual([]);
  });

  it('redacts card numbers that pass Luhn, grouped or not', () => {
    expect(found('card 4111 1111 1111 1111 exp 12/29')).toEqual([['card', '4111 1111 1111 1111']]);
    expect(found('MC 5500-0000-0000-0004.')).toEqual([['card', '5500-0000-0000-0004']]);
    expect(found('Amex 378282246310005')).toEqual([['card', '378282246310005']]);
  });

  it('leaves card-shaped numbers that fail Luhn alone', () => {
    expect(found('card 4111 1111 1111 1112')).toEqual([]);
    expect(found('4111111111111112')).toEqual([]);
  });

  it('redacts valid IBANs, printed in groups or compact, but not the word after them', () => {
    expect(found('IBAN DE89 3704 0044 0532 0130 00 bitte')).toEqual([['iban', 'DE89 3704 0044 0532 0130 00']]);
    expect(found('pay GB82WEST12345698765432 today')).toEqual([['iban', 'GB82WEST12345698765432']]);
    expect(found('IBAN: FR14 2004 1010 0505 0001 3M02 606 ABCD')).toEqual([['iban', 'FR14 2004 1010 0505 0001 3M02 606']]);
  });

  it('leaves IBAN-shaped strings with a wrong checksum alone', () => {
    expect(found('DE89 3704 0044 0532 0130 01')).toEqual([]);
    expect(found('AB12 CDEF GHIJ KLMN OP')).toEqual([]);
  });

  it.each([
    ['+44 20 7946 0958'],
    ['+1 (555) 123-4567'],
    ['(555) 123-4567'],
    ['555-123-4567'],
    ['555.123.4567'],
    ['030 12345678'],
    ['+49 30 1234567'],
    ['+49 (0)30 1234567'],
    ['+886 2 2345 6789'],
    ['0912-345-678'],
    ['+55 11 91234-5678'],
    ['+81-3-1234-5678'],
    ['+33 1 23 45 67 89'],
    ['+8613812345678'],
  ])('redacts the phone number %s', (phone) => {
    expect(found(`Call me on ${phone} tomorrow.`)).toEqual([['phone', phone]]);
  });

  it.each([
    ['the year 2024'],
    ['a price of 1,234.50'],
    ['$1,299.99 or €1.299,99'],
    ['on 2012-06-07'],
    ['on 06/07/2012'],
    ['version 1.2.3'],
    ['1.234.567 inhabitants'],
    ['12,34,567 rupees'],
    ['pi is 3.14159265358979'],
    ['a ratio of 0.123456789'],
    ['ISBN 978-3-16-148410-0'],
    ['at 10:30 on 07.06.2012'],
    ['dial 911 or 112'],
    ['order 123456789'],
    ['1 000 000 people'],
    ['a timestamp 1700000000000'],
  ])('does not redact ordinary numbers: %s', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('redacts API-key-like strings', () => {
    const openai = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
    const github = 'ghp_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6';
    const aws = 'AKIAIOSFODNN7EXAMPLE';
    const random = 'q8Zr2LmX0vBn7TcK4yHs1WpD9fGe6JuA3oNi5';
    expect(found(`key=${openai}`)).toEqual([['secret', openai]]);
    expect(found(`token ${github}`)).toEqual([['secret', github]]);
    expect(found(`AWS_ACCESS_KEY_ID=${aws}`)).toEqual([['secret', aws]]);
    expect(found(`Authorization: Bearer ${random}`)).toEqual([['secret', random]]);
  });

  it('leaves long words, code identifiers and UUIDs alone', () => {
    expect(found('AbstractSingletonProxyFactoryBeanConfigurationHolder')).toEqual([]);
    expect(found('id 550e8400-e29b-41d4-a716-446655440000')).toEqual([]);
    expect(found('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1')).toEqual([]);
  });

  it('never reports overlapping redactions and keeps them in order', () => {
    const text = 'a@b.de 4111 1111 1111 1111 +49 30 1234567 DE89 3704 0044 0532 0130 00';
    const list = findRedactions(text);
    expect(list.map((r) => r.kind)).toEqual(['email', 'card', 'phone', 'iban']);
    for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBeGreaterThanOrEqual(list[i - 1]!.end);
    for (const r of list) expect(text.slice(r.start, r.end)).toBe(r.original);
  });
});

describe('applyRedactions', () => {
  const text = 'Mail jane@example.com or call +44 20 7946 0958.';

  it('replaces every redaction with its placeholder', () => {
    expect(applyRedactions(text, findRedactions(text))).toBe('Mail [EMAIL] or call [PHONE].');
  });

  it('lets the user undo a single redaction by id', () => {
    const list = findRedactions(text);
    const phone = list.find((r) => r.kind === 'phone')!;
    expect(applyRedactions(text, list, [phone.id])).toBe('Mail [EMAIL] or call +44 20 7946 0958.');
  });

  it('ignores redactions that do not describe the text (stale UI state)', () => {
    const list = findRedactions(text);
    expect(applyRedactions(text.replace('jane', 'joan'), list)).toBe('Mail joan@example.com or call [PHONE].');
  });
});

describe('redactReport', () => {
  /** A sample report whose answer contains private data around and inside marks. */
  function reportWith(answer: string, marks: Array<[string, string]>, extra: Partial<UploadedReport> = {}) {
    const highlights = marks.map(([exact, suggestion], k) => {
      const start = answer.indexOf(exact);
      return {
        id: `00000000-0000-4000-8000-00000000000${k}`,
        start,
        end: start + exact.length,
        ...describeQuote(answer, { start, end: start + exact.length }),
        category: 'regional_vocabulary' as const,
        severity: 'minor' as const,
        suggestion,
        source: 'user' as const,
      };
    });
    return UploadedReport.parse({ ...sampleUploaded(1), answer, highlights, ...extra });
  }

  it('shifts marks after a redaction so they still quote the answer', () => {
    const report = reportWith('Write to somebody.long.name@example.com about the autocarro.', [['autocarro', 'ônibus']]);
    const { report: out } = redactReport(report);
    expect(out.answer).toBe('Write to [EMAIL] about the autocarro.');
    const h = out.highlights[0]!;
    expect(out.answer.slice(h.start, h.end)).toBe('autocarro');
    expect(UploadedReport.safeParse(out).success).toBe(true);
  });

  it('re-reads the prefix so the redacted address does not leak through the mark', () => {
    const report = reportWith('Mail a.person@example.org, ônibus chega.', [['ônibus', 'autocarro']]);
    expect(report.highlights[0]!.prefix).toContain('a.person@example.org');
    const { report: out } = redactReport(report);
    const h = out.highlights[0]!;
    expect(h.prefix).not.toContain('example.org');
    expect(h.prefix).toBe('Mail [EMAIL], ');
    expect(JSON.stringify(out)).not.toContain('a.person@example.org');
  });

  it('grows a mark that overlaps private text to cover the whole placeholder', () => {
    const report = reportWith('Ligue para +351 912 345 678 amanhã.', [['+351 912', 'número']]);
    const { report: out } = redactReport(report);
    const h = out.highlights[0]!;
    expect(out.answer).toBe('Ligue para [PHONE] amanhã.');
    expect(h.exact).toBe('[PHONE]');
    expect(out.answer.slice(h.start, h.end)).toBe(h.exact);
    expect(UploadedReport.safeParse(out).success).toBe(true);
  });

  it('redacts the prompt and the comment too, and lists what it applied', () => {
    const report = reportWith('Nothing private here.', [], { prompt: 'my mail is x.y@example.com', comment: 'card 4111 1111 1111 1111' });
    const { report: out, applied } = redactReport(report);
    expect(out.prompt).toBe('my mail is [EMAIL]');
    expect(out.comment).toBe('card [CARD]');
    expect(applied.map((r) => `${r.field}:${r.kind}`)).toEqual(['prompt:email', 'comment:card']);
  });

  it('keeps a redaction the user undid, and nothing else changes', () => {
    const report = reportWith('Mail a@example.org or call 030 12345678 for the autocarro.', [['autocarro', 'ônibus']]);
    const phone = findReportRedactions(report).find((r) => r.kind === 'phone')!;
    const { report: out, applied } = redactReport(report, { undone: [phone.id] });
    expect(out.answer).toBe('Mail [EMAIL] or call 030 12345678 for the autocarro.');
    expect(applied.map((r) => r.kind)).toEqual(['email']);
    const h = out.highlights[0]!;
    expect(out.answer.slice(h.start, h.end)).toBe('autocarro');
  });

  it('returns the report unchanged when there is nothing to redact', () => {
    const report = sampleUploaded(3);
    expect(redactReport(report).report).toEqual(report);
  });
});
