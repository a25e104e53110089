import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHarness, makeReport, stubI18n } from './harness';
import { deleteAllReports, importReportsFromFile } from '../../../lib/ui/data';
import { reportsToJsonl } from '../../../lib/jsonl';

beforeEach(() => {
  fakeBrowser.reset();
  stubI18n();
});

describe('importing and deleting many reports', () => {
  it('imports a big file in chunks, with progress, adding up the results and keeping the file line numbers', async () => {
    const h = await createHarness();
    const reports = Array.from({ length: 2_499 }, () => makeReport());
    const lines = reportsToJsonl(reports).trim().split('\n');
    lines.splice(1_500, 0, '{"not": "a report"}'); // line 1,501 of the file
    const steps: Array<[number, number]> = [];
    const result = await importReportsFromFile(h.api, new Blob([lines.join('\n') + '\n']), (done, total) => steps.push([done, total]));
    expect(result.added).toBe(2_499);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^line 1501: /);
    expect(steps).toEqual([
      [0, 2_500],
      [1_000, 2_500],
      [2_000, 2_500],
      [2_500, 2_500],
    ]);
    // Three messages, three transactions: not one per report.
    expect(h.sent.filter((m) => (m as { type: string }).type === 'import-reports')).toHaveLength(3);
    expect((await h.api.getState()).counts.draft).toBe(2_499);

    // Again: nothing new, everything unchanged.
    const again = await importReportsFromFile(h.api, new Blob([lines.join('\n')]));
    expect(again).toMatchObject({ added: 0, unchanged: 2_499 });
  });

  it('applies chunks sent before the last was answered in file order: a later line with a newer version of a report wins', async () => {
    const h = await createHarness();
    const first = makeReport({ comment: 'first version', updated_at: '2026-03-01T00:00:00.000Z' });
    const second = { ...first, comment: 'second version', updated_at: '2026-03-02T00:00:00.000Z' };
    const third = { ...first, comment: 'third version', updated_at: '2026-03-03T00:00:00.000Z' };
    const filler = (n: number) => Array.from({ length: n }, () => makeReport());
    // Line 1, line 1,001 (second chunk) and line 2,001 (third chunk) hold the same report.
    const reports = [first, ...filler(999), second, ...filler(999), third];
    const result = await importReportsFromFile(h.api, new Blob([reportsToJsonl(reports)]));
    expect(result).toMatchObject({ added: 2_001, unchanged: 0, problems: [] });
    expect((await h.api.getReport(first.id)).comment).toBe('third version');
    // An older version after a newer one leaves the newer one.
    const back = await importReportsFromFile(h.api, new Blob([reportsToJsonl([...filler(1_000), second])]));
    expect(back).toMatchObject({ added: 1_000, unchanged: 1 });
    expect((await h.api.getReport(first.id)).comment).toBe('third version');
  });

  it('deletes every report with progress', async () => {
    const h = await createHarness();
    await importReportsFromFile(h.api, new Blob([reportsToJsonl(Array.from({ length: 1_200 }, () => makeReport()))]));
    const steps: number[] = [];
    expect(await deleteAllReports(h.api, (done) => steps.push(done), 1_200)).toBe(1_200);
    expect(steps).toEqual([0, 1_000, 1_200]);
    expect((await h.api.getState()).counts.draft).toBe(0);
  });
});
