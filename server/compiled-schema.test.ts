// @vitest-environment node
// The receiver validates reports with zod's ahead-of-time compiled schema (server/app.ts) for
// speed. It must accept and reject exactly what the interpreted schema does, with the same
// reasons: the reasons go back to users in `rejected` results.
import { compile } from 'zod/v4/core';
import { describe, expect, it } from 'vitest';
import { z } from '../lib/zod';
import { UploadedReport, describeIssues } from '../lib/report';
import { sampleUploaded } from '../tests/helpers/sample-reports';

describe('the compiled report schema', () => {
  it('answers like the interpreted one for valid and invalid reports', () => {
    z.config({ jitless: false });
    try {
      const compiled = compile(UploadedReport);
      const good = sampleUploaded(1);
      const cases: unknown[] = [
        good,
        sampleUploaded(2, { prompt: 'Wie spät ist es?', comment: 'ok', drive_id: 'tw-2026' }),
        { ...good, answer: '' },
        { ...good, expected_locale: 'pt_br' },
        { ...good, expected_locale: 'PT-br' },
        { ...good, page_url: 'https://chatgpt.com/c/1' },
        { ...good, highlights: [{ ...good.highlights[0]!, exact: 'nope' }] },
        { ...good, highlights: [good.highlights[0], good.highlights[0]] },
        { ...good, highlights: [{ ...good.highlights[0]!, end: good.highlights[0]!.start }] },
        { ...good, highlights: [{ ...good.highlights[0]!, source: 'glossary:bad id!' }] },
        { ...good, id: 'not-a-uuid', created_at: 'yesterday' },
        'not an object',
      ];
      for (const candidate of cases) {
        const fast = compiled.safeParse(candidate);
        const slow = UploadedReport.safeParse(candidate);
        expect(fast.success).toBe(slow.success);
        if (fast.success && slow.success) expect(fast.data).toEqual(slow.data);
        if (!fast.success && !slow.success) expect(describeIssues(fast.error)).toEqual(describeIssues(slow.error));
      }
    } finally {
      z.config({ jitless: true });
    }
  });
});
