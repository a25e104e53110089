// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GlossaryError, driveGlossarySource, driveSourceName, loadDriveGlossary, parseCsv, parseDriveGlossary } from '../../../lib/glossary/drive';
import { expectAnchored } from './helpers';

const CSV = `term,suggestion,category,note,alternatives
早晨,早安,regional_vocabulary,"Taiwan greets with 早安, not the Cantonese 早晨",早|哈囉
"水準","水平, level",regional_vocabulary,,
冇,沒有,wrong_language,Cantonese word,
bad,x,not_a_category,,
`;

describe('a drive glossary', () => {
  it('parses CSV with quotes, commas and alternatives, reporting bad lines by number', () => {
    const { entries, problems } = parseDriveGlossary(CSV, 'csv');
    expect(entries.map((e) => [e.term, e.suggestion])).toEqual([
      ['早晨', '早安'],
      ['水準', '水平, level'],
      ['冇', '沒有'],
    ]);
    expect(entries[0]!.alternatives).toEqual(['早', '哈囉']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line 5: category/);
  });

  it('parses JSON as an array or {entries}', () => {
    const list = [{ term: 'truck', suggestion: 'lorry', category: 'regional_vocabulary', note: 'UK' }];
    expect(parseDriveGlossary(JSON.stringify(list), 'json').entries).toHaveLength(1);
    expect(parseDriveGlossary(JSON.stringify({ entries: list }), 'json').entries).toHaveLength(1);
    expect(() => parseDriveGlossary('{"terms": []}', 'json')).toThrow(GlossaryError);
    expect(() => parseDriveGlossary('not json', 'json')).toThrow(/not valid JSON/);
  });

  it('refuses a CSV without the required header and an unclosed quote', () => {
    expect(() => parseDriveGlossary('a,b\n1,2', 'csv')).toThrow(/header row/);
    expect(() => parseCsv('a,"b\n')).toThrow(/quoted field/);
  });

  it('refuses a glossary over 1 MB', () => {
    expect(() => parseDriveGlossary('x'.repeat(1_000_001), 'csv')).toThrow(/1 MB/);
  });

  it('becomes a suggestion source named after the drive, for the drive locales only', () => {
    const { entries } = parseDriveGlossary(CSV, 'csv');
    const source = driveGlossarySource('tw-mandarin 2026', entries, ['zh-TW']);
    expect(source.name).toBe(driveSourceName('tw-mandarin 2026'));
    expect(source.name).toBe('drive-tw-mandarin_2026');
    const answer = '早晨！我冇時間。';
    const found = source.suggest(answer, 'zh-Hant-TW');
    expectAnchored(answer, found);
    expect(found.map((f) => [f.exact, f.suggestion, f.source])).toEqual([
      ['早晨', '早安', 'glossary:drive-tw-mandarin_2026'],
      ['冇', '沒有', 'glossary:drive-tw-mandarin_2026'],
    ]);
    expect(source.suggest(answer, 'zh-HK')).toEqual([]);
  });

  describe('loaded from glossary_url', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/glossary.csv') {
          res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
          res.end(CSV);
        } else if (req.url === '/glossary') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify([{ term: 'truck', suggestion: 'lorry', category: 'regional_vocabulary' }]));
        } else if (req.url === '/huge.csv') {
          res.writeHead(200, { 'content-type': 'text/csv' });
          res.end('term,suggestion,category\n' + 'a,b,other\n'.repeat(150_000));
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fetches CSV and JSON from a local receiver by content type', async () => {
      expect((await loadDriveGlossary(`${base}/glossary.csv`)).entries).toHaveLength(3);
      expect((await loadDriveGlossary(`${base}/glossary`)).entries[0]!.suggestion).toBe('lorry');
    });

    it('stops reading past 1 MB and says so', async () => {
      await expect(loadDriveGlossary(`${base}/huge.csv`)).rejects.toThrow(/larger than 1 MB/);
    });

    it('explains a 404 and refuses plain http off localhost', async () => {
      await expect(loadDriveGlossary(`${base}/missing.csv`)).rejects.toThrow(/answered 404/);
      await expect(loadDriveGlossary('http://example.org/g.csv')).rejects.toThrow(/https/);
    });
  });
});
