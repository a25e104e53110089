// @vitest-environment node
// `npm run export` against a real receiver's SQLite file, checked line by line.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describe as describeQuote } from '../lib/anchoring';
import { PROTOCOL } from '../lib/protocol';
import type { Highlight, UploadedReport } from '../lib/report';
import { SAMPLE_CLIENT, sampleId, sampleUploaded } from '../tests/helpers/sample-reports';
import { unescapeCsvCell } from './csv';
import { parseCsv } from '../lib/csv';
import { HIGHLIGHT_COLUMNS, applySuggestions } from './exports';
import { runExport, startReceiver, type ReceiverProcess } from './testing';

let receiver: ReceiverProcess;
const outDir = mkdtempSync(join(tmpdir(), 'sounds-local-export-'));

function mark(answer: string, exact: string, suggestion: string, n: number, extra: Partial<Highlight> = {}): Highlight {
  const start = answer.indexOf(exact);
  return {
    id: sampleId(n, 99),
    start,
    end: start + exact.length,
    ...describeQuote(answer, { start, end: start + exact.length }),
    category: 'regional_vocabulary',
    severity: 'minor',
    suggestion,
    source: 'user',
    ...extra,
  };
}

// The reports, in upload order.
const withPrompt = sampleUploaded(1, { prompt: 'Como chego ao centro?' }); // pt-BR, three marks
const hostileAnswer = 'Say "lorry", please,\nnot truck; =SUM(A1) stays text.';
const hostile = sampleUploaded(2, {
  expected_locale: 'en-GB',
  answer: hostileAnswer,
  highlights: [
    mark(hostileAnswer, '"lorry", please,\nnot truck', 'lorry', 1, { note: 'a "quoted" note, with commas', alternatives: ['HGV', 'wagon, old'] }),
    mark(hostileAnswer, '=SUM(A1)', '=SUM(B1)', 2, { category: 'other', severity: 'preference' }),
  ],
});
const overlapAnswer = 'The color of the sky in the fall.';
const overlapping = sampleUploaded(3, {
  expected_locale: 'en-GB',
  answer: overlapAnswer,
  highlights: [
    mark(overlapAnswer, 'color', 'colour', 3),
    mark(overlapAnswer, 'color of', 'colour of', 4),
    mark(overlapAnswer, 'fall', '', 5, { category: 'other', note: 'autumn, but unsure' }),
  ],
});
const unmarked = sampleUploaded(4, { highlights: [] }); // zh-TW
const driveReport = sampleUploaded(7, { drive_id: 'tw-2026' }); // de-DE
const all = [withPrompt, hostile, overlapping, unmarked];

async function upload(reports: UploadedReport[], driveId?: string) {
  const response = await fetch(`${receiver.url}/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, drive_id: driveId, reports }),
  });
  const { results } = (await response.json()) as { results: Array<{ status: string; reason?: string }> };
  for (const r of results) expect(r).toEqual({ id: expect.any(String), status: 'accepted' });
}

async function exportTo(file: string, ...args: string[]) {
  const path = join(outDir, file);
  const result = await runExport(['--data-dir', receiver.dataDir, '--out', path, ...args]);
  expect(result.code, result.output).toBe(0);
  return { path, text: readFileSync(path, 'utf8'), output: result.output };
}

beforeAll(async () => {
  receiver = await startReceiver({
    drives: { 'tw-2026': { manifest: { id: 'tw-2026', name: 'Taiwanese Mandarin drive', locales: ['zh-TW'], license: 'CC0-1.0', requires_token: false } } },
  });
  await upload(all);
  await upload([driveReport], 'tw-2026');
});
afterAll(async () => {
  await receiver?.stop();
  rmSync(outDir, { recursive: true, force: true });
});

describe('npm run export', () => {
  it("jsonl: one stored report per line, in arrival order, identical to what was sent plus each mark's review validation", async () => {
    const { text, output } = await exportTo('reports.jsonl', '--format', 'jsonl');
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    // Nobody reviewed these yet: every mark is pending with no votes.
    const pending = { agree: 0, disagree: 0, unsure: 0, status: 'pending' };
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(
      [...all, driveReport].map((r) => ({ ...r, highlights: r.highlights.map((h) => ({ ...h, validation: pending })) })),
    );
    expect(output).toContain('exported 5 reports');
  });

  it('highlights-csv: a header and one row per mark, with quotes, commas and line breaks intact', async () => {
    const { text } = await exportTo('highlights.csv', '--format', 'highlights-csv');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...HIGHLIGHT_COLUMNS]);
    const body = rows.slice(1).map((r) => Object.fromEntries(HIGHLIGHT_COLUMNS.map((c, i) => [c, r[i]])));
    expect(body).toHaveLength(3 + 2 + 3 + 0 + 3);
    const first = body.find((r) => r.highlight_id === hostile.highlights[0]!.id)!;
    expect(first).toMatchObject({
      report_id: hostile.id,
      expected_locale: 'en-GB',
      site: 'chatgpt',
      model_label: 'GPT-5',
      drive_id: '',
      exact: '"lorry", please,\nnot truck',
      suggestion: 'lorry',
      note: 'a "quoted" note, with commas',
      start: String(hostile.highlights[0]!.start),
      end: String(hostile.highlights[0]!.end),
    });
    expect(JSON.parse(first.alternatives!)).toEqual(['HGV', 'wagon, old']);
    // A phrase a spreadsheet would run as a formula is written as quoted text ('=…), and
    // unescapeCsvCell gives back exactly what the uploader marked.
    expect(body.find((r) => r.highlight_id === hostile.highlights[1]!.id)!.exact).toBe("'=SUM(A1)");
    expect(text).toContain(`,"'=SUM(A1)",`);
    for (const r of body)
      expect(unescapeCsvCell(r.exact!)).toBe(
        all
          .concat(driveReport)
          .find((x) => x.id === r.report_id)!
          .answer.slice(Number(r.start), Number(r.end)),
      );
  });

  it('dpo: {prompt, chosen, rejected} per report that has a suggestion; rejected is the answer, chosen has the suggestions applied', async () => {
    const { text } = await exportTo('dpo.jsonl', '--format', 'dpo');
    const pairs = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(pairs).toEqual([
      {
        prompt: 'Como chego ao centro?',
        chosen: 'Pode apanhar o ônibus perto da estação e ligar do seu celular quando chegar. Estou fazendo o jantar.',
        rejected: withPrompt.answer,
      },
      { prompt: '', chosen: 'Say lorry; =SUM(B1) stays text.', rejected: hostileAnswer },
      // Overlapping marks: the one applied first (further right / longer) wins; empty suggestions are skipped.
      { prompt: '', chosen: 'The colour of the sky in the fall.', rejected: overlapAnswer },
      {
        prompt: '',
        chosen: driveReport.answer.replace('911', '112').replace('06/07/2012', '07.06.2012').replace('3:00 PM', '15:00 Uhr'),
        rejected: driveReport.answer,
      },
    ]);
    for (const p of pairs) expect(Object.keys(p)).toEqual(['prompt', 'chosen', 'rejected']);
  });

  it('card: a Hugging Face README with YAML metadata and a description', async () => {
    const { text } = await exportTo('README.md', '--format', 'card', '--license', 'CC-BY-4.0');
    const [, yaml, prose] = text.split(/^---$/m);
    expect(yaml!.trim().split('\n')).toEqual([
      'license: cc-by-4.0',
      'pretty_name: "Sounds Local locale-mismatch reports"',
      'language:',
      '- de',
      '- en',
      '- pt',
      '- zh',
      'size_categories:',
      '- n<1K',
      'task_categories:',
      '- text-generation',
      'tags:',
      '- localization',
      '- locale',
      '- human-feedback',
      '- preference',
      '- dpo',
      'configs:',
      '- config_name: reports',
      '  data_files: data/reports.jsonl',
      '  default: true',
      '- config_name: highlights',
      '  data_files: data/highlights.csv',
      '- config_name: dpo',
      '  data_files: data/dpo.jsonl',
    ]);
    expect(prose).toContain('**5** reports with **11** marked phrases');
    expect(prose).toContain('**4** preference pairs');
    expect(prose).toContain('| `en-GB` | 2 |');
    expect(prose).toContain('| `regional_vocabulary` |');
    expect(prose).toContain('Released under `cc-by-4.0` (CC-BY-4.0).');
  });

  it('exports one drive with the licence and name from its hosted manifest', async () => {
    const { text } = await exportTo('drive/README.md', '--format', 'card', '--drive', 'tw-2026');
    expect(text).toMatch(/^---\nlicense: cc0-1\.0\npretty_name: "Taiwanese Mandarin drive"\nlanguage:\n- de\n/);
    expect(text).toContain('**1** reports');
    const jsonl = await exportTo('drive/reports.jsonl', '--format', 'jsonl', '--drive', 'tw-2026');
    expect(
      jsonl.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual([driveReport.id]);
  });

  it("all: writes a dataset folder matching the card's configs", async () => {
    const dir = join(outDir, 'dataset');
    const result = await runExport(['--data-dir', receiver.dataDir, '--format', 'all', '--out', dir, '--license', 'CC0-1.0']);
    expect(result.code, result.output).toBe(0);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('license: cc0-1.0');
    expect(readFileSync(join(dir, 'data/reports.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(5);
    expect(parseCsv(readFileSync(join(dir, 'data/highlights.csv'), 'utf8'))).toHaveLength(12);
    expect(readFileSync(join(dir, 'data/dpo.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(4);
  });

  it('explains a wrong data directory or format instead of writing an empty file', async () => {
    const wrongDir = await runExport(['--data-dir', join(outDir, 'nowhere'), '--format', 'jsonl', '--out', join(outDir, 'x.jsonl')]);
    expect(wrongDir.code).toBe(2);
    expect(wrongDir.output).toContain('No receiver database');
    const wrongFormat = await runExport(['--data-dir', receiver.dataDir, '--format', 'parquet', '--out', join(outDir, 'x')]);
    expect(wrongFormat.code).toBe(2);
    expect(wrongFormat.output).toContain('--format must be one of');
  });
});

describe('applySuggestions', () => {
  it('applies from the end so earlier offsets stay right, across surrogate pairs', () => {
    const answer = '🚑 call 911 at 3:00 PM';
    const h = (exact: string, suggestion: string, n: number) => mark(answer, exact, suggestion, n);
    expect(applySuggestions(answer, [h('911', '112', 1), h('3:00 PM', '15:00', 2)])).toBe('🚑 call 112 at 15:00');
  });
});
