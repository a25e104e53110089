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

  it('deletes every report with progress', async () => {
    const h = await createHarness();
    await importReportsFromFile(h.api, new Blob([reportsToJsonl(Array.from({ length: 1_200 }, () => makeReport()))]));
    const steps: number[] = [];
    expect(await deleteAllReports(h.api, (done) => steps.push(done), 1_200)).toBe(1_200);
    expect(steps).toEqual([0, 1_000, 1_200]);
    expect((await h.api.getState()).counts.draft).toBe(0);
  });
});
