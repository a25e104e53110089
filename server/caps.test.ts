// @vitest-environment node
// Thousands of distinct locale tags (private-use `x-` tags, private-use languages) must not
// inflate /v1/stats or the dataset card: the real receiver lists the top 50 and folds the
// rest into "other".
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL, StatsResponse } from '../lib/protocol';
import type { UploadedReport } from '../lib/report';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';
import { MAX_DISTINCT, capCounts } from './caps';
import { runExport, startReceiver, type ReceiverProcess } from './testing';

let receiver: ReceiverProcess;
const outDir = mkdtempSync(join(tmpdir(), 'sounds-local-caps-'));
const DISTINCT = 3_000;
// Every report its own tag: 2,000 `en-x-…` and 1,000 tags in the private-use languages qaa–qtz.
const letters = 'abcdefghijklmnopqrstuvwxyz';
const junkTag = (i: number) => (i < 2_000 ? `en-x-p${i.toString(36)}` : `q${letters[i % 20]}${letters[Math.floor(i / 20) % 26]}-x-${i}`);
// And a few real locales with more reports each, which must stay listed by name.
const REAL = { 'zh-TW': 30, 'pt-BR': 20, 'en-GB': 10 };

async function upload(reports: UploadedReport[], driveId?: string) {
  const response = await fetch(`${receiver.url}/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, drive_id: driveId, reports }),
  });
  const { results } = (await response.json()) as { results: Array<{ status: string; reason?: string }> };
  expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
}

beforeAll(async () => {
  // 31 batches of 100 as fast as possible from one address: rate limits are guard.test.ts's subject.
  receiver = await startReceiver({ env: { LOG: 'quiet', RATE_LIMIT: '0' } });
  const reports = Array.from({ length: DISTINCT }, (_, i) => sampleUploaded(20_000 + i, { expected_locale: junkTag(i), highlights: [], drive_id: 'many' }));
  let n = 30_000;
  for (const [tag, count] of Object.entries(REAL))
    for (let i = 0; i < count; i++) reports.push(sampleUploaded(n++, { expected_locale: tag, highlights: [], drive_id: 'many' }));
  for (let i = 0; i < reports.length; i += 100) await upload(reports.slice(i, i + 100), 'many');
}, 120_000);
afterAll(async () => {
  await receiver?.stop();
  rmSync(outDir, { recursive: true, force: true });
});

describe('distinct locale tags', () => {
  it('keeps /v1/stats to the top 50 tags plus "other", adding up to every report', async () => {
    const total = DISTINCT + 60;
    for (const path of ['/v1/stats', '/v1/stats?drive=many']) {
      const response = await fetch(receiver.url + path);
      const text = await response.text();
      const stats = StatsResponse.parse(JSON.parse(text));
      expect(stats.reports).toBe(total);
      expect(Object.keys(stats.by_locale)).toHaveLength(MAX_DISTINCT + 1);
      expect(stats.by_locale).toMatchObject({ 'zh-TW': 30, 'pt-BR': 20, 'en-GB': 10, other: DISTINCT - (MAX_DISTINCT - 3) });
      expect(Object.values(stats.by_locale).reduce((a, b) => a + b, 0)).toBe(total);
      // 3,060 reports in 3,003 tags: the answer stays the size of 51 entries.
      expect(text.length).toBeLessThan(2_500);
    }
  });

  it('keeps the dataset card to 50 locale rows and 50 languages, with one line for the rest', async () => {
    const out = join(outDir, 'README.md');
    const result = await runExport(['--data-dir', receiver.dataDir, '--format', 'card', '--out', out]);
    expect(result.code, result.output).toBe(0);
    const card = readFileSync(out, 'utf8');
    const localeTable = card.slice(card.indexOf('## Locales'), card.indexOf('## Categories'));
    const rows = localeTable.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(MAX_DISTINCT);
    expect(rows.slice(0, 3)).toEqual(['| `zh-TW` | 30 |', '| `pt-BR` | 20 |', '| `en-GB` | 10 |']);
    expect(localeTable).toContain(
      `| other (${(DISTINCT + 3 - MAX_DISTINCT).toLocaleString('en')} more) | ${(DISTINCT - (MAX_DISTINCT - 3)).toLocaleString('en')} |`,
    );
    const yaml = card.slice(0, card.indexOf('\n---', 4));
    const lines = yaml.split('\n');
    const from = lines.indexOf('language:') + 1;
    const languages = lines.slice(from, from + lines.slice(from).findIndex((l) => !l.startsWith('- ')));
    // 523 languages (en, pt, zh and 520 in qaa–qtz): the 50 most reported.
    expect(languages).toHaveLength(MAX_DISTINCT);
    expect(languages).toEqual(expect.arrayContaining(['- en', '- pt', '- zh']));
    expect(card.length).toBeLessThan(12_000);
  });
});

describe('capCounts', () => {
  it('keeps everything when there are at most the cap, and folds the rest by count otherwise', () => {
    expect(
      capCounts(
        [
          ['a', 1],
          ['b', 2],
        ],
        2,
      ),
    ).toEqual({
      top: [
        ['b', 2],
        ['a', 1],
      ],
    });
    expect(
      capCounts(
        [
          ['a', 1],
          ['b', 2],
          ['c', 3],
          ['d', 1],
        ],
        2,
      ),
    ).toEqual({
      top: [
        ['c', 3],
        ['b', 2],
      ],
      rest: { values: 2, count: 2 },
    });
  });
});
