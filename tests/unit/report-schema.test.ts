import { describe, expect, it } from 'vitest';
import { Report, UploadedReport, describeIssues, toUploaded, LIMITS } from '../../lib/report';
import { makeReport, markPhrase } from '../helpers/reports';

function problems(candidate: unknown): string[] {
  const parsed = Report.safeParse(candidate);
  return parsed.success ? [] : describeIssues(parsed.error);
}

describe('the report schema', () => {
  it('accepts a complete report with a mark', () => {
    const report = makeReport();
    report.highlights = [markPhrase(report.answer, '視頻', '影片')];
    expect(problems(report)).toEqual([]);
  });

  it('names the field when the expected locale is not canonical or invalid', () => {
    expect(problems(makeReport({ expected_locale: 'pt_BR' }))).toEqual(['expected_locale: "pt_BR" uses "_"; BCP 47 tags use "-": did you mean "pt-BR"?']);
    expect(problems(makeReport({ expected_locale: 'zh-hant-tw' }))[0]).toBe('expected_locale: "zh-hant-tw" is not canonical; use "zh-Hant-TW"');
    expect(problems(makeReport({ expected_locale: 'klingon' }))[0]).toMatch(/^expected_locale: "klingon" is not a valid BCP 47/);
  });

  it('refuses a mark whose offsets do not quote the answer', () => {
    const report = makeReport();
    const mark = markPhrase(report.answer, '視頻', '影片');
    report.highlights = [{ ...mark, start: mark.start + 1, end: mark.end + 1 }];
    expect(problems(report)).toEqual([`highlights[0].exact: mark 1 does not match the answer at ${mark.start + 1}–${mark.end + 1}`]);
  });

  it('requires a suggestion except for category other, which needs a note instead', () => {
    const report = makeReport();
    report.highlights = [markPhrase(report.answer, '視頻', '')];
    expect(problems(report)).toEqual(['highlights[0].suggestion: a suggestion is required (what a local would say)']);
    report.highlights = [markPhrase(report.answer, '視頻', '', 0, { category: 'other' })];
    expect(problems(report)).toEqual(['highlights[0].note: category "other" needs a note saying what is wrong']);
    report.highlights = [markPhrase(report.answer, '視頻', '', 0, { category: 'other', note: 'sounds like a press release' })];
    expect(problems(report)).toEqual([]);
  });

  it('enforces size limits with readable messages', () => {
    expect(problems(makeReport({ answer: 'a'.repeat(LIMITS.answer + 1) }))).toEqual(['answer: must be at most 200,000 characters']);
    const report = makeReport({ answer: 'x '.repeat(300) });
    report.highlights = Array.from({ length: 201 }, (_, i) => markPhrase(report.answer, 'x', 'y', i));
    expect(problems(report)).toContain('highlights: at most 200 marks per report');
  });

  it('rejects unknown fields, wrong types and bad timestamps', () => {
    expect(problems({ ...makeReport(), extra: 1 })[0]).toMatch(/Unrecognized key/);
    expect(problems({ ...makeReport(), site: 'bing' })[0]).toMatch(/^site: /);
    expect(problems({ ...makeReport(), created_at: '2026-11-01 10:00' })[0]).toBe('created_at: must be an ISO 8601 UTC timestamp ending in Z');
    expect(problems({ ...makeReport(), schema_version: 2 })[0]).toMatch(/^schema_version: /);
  });

  it('uploads no local fields, and the prompt only when the user included it', () => {
    const report = makeReport({ page_url: 'https://chatgpt.com/c/secret', prompt: 'my question', preselected: { start: 0, end: 2 } });
    const sent = toUploaded(report);
    expect(Object.keys(sent)).not.toEqual(expect.arrayContaining(['status']));
    for (const local of ['status', 'page_url', 'include_prompt', 'preselected', 'prompt']) expect(sent).not.toHaveProperty(local);
    expect(UploadedReport.safeParse(sent).success).toBe(true);
    expect(toUploaded({ ...report, include_prompt: true }).prompt).toBe('my question');
    expect(UploadedReport.safeParse({ ...sent, status: 'ready' }).success).toBe(false);
  });
});
