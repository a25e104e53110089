// @vitest-environment node
// Community review's protocol (DESIGN.md §14) against the real receiver process: reviewer
// tokens, GET /v1/review/next, POST /v1/review/votes, and what votes change in stats, the
// drive page and every export format (with and without --validated-only).
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL, StatsResponse } from '../lib/protocol';
import type { UploadedReport } from '../lib/report';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';
import { DriveDirectory } from './drives';
import { HIGHLIGHT_COLUMNS } from './exports';
import { runExport, startReceiver, type ReceiverProcess } from './testing';

const DRIVE = 'rv-api';
const MANIFEST = {
  id: DRIVE,
  name: 'Review API drive',
  organizer: 'Locale group',
  description: 'Reports to review.',
  locales: ['zh-TW', 'pt-BR'],
  endpoint: 'http://127.0.0.1',
  guidelines: { en: 'Mark what does not sound local.' },
  license: 'CC-BY-4.0',
  privacy_url: 'https://data.example.org/privacy',
  requires_token: false,
  review: { min_votes: 2 },
};
const CAROL = 'carol-contributor-0003';
const carols = sampleUploaded(920_000, { drive_id: DRIVE, owner_key_hash: createHash('sha256').update('carol-owner-key-0001').digest('hex') });
const others = [sampleUploaded(920_004, { drive_id: DRIVE }), sampleUploaded(920_001, { drive_id: DRIVE })]; // zh-TW, pt-BR

let receiver: ReceiverProcess;
const tokens: string[] = [];
let outDir = '';

async function next(token: string | undefined, query = `drive=${DRIVE}`) {
  const response = await fetch(`${receiver.url}/v1/review/next?${query}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return {
    status: response.status,
    json: text ? (JSON.parse(text) as { report: UploadedReport; remaining: number; drive: { min_votes: number }; error?: string }) : undefined,
    text,
  };
}

async function vote(token: string | undefined, body: unknown, contentType = 'application/json') {
  const response = await fetch(`${receiver.url}/v1/review/votes`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { recorded?: number; error?: string } };
}

const allVotes = (report: UploadedReport, v: 'agree' | 'disagree' | 'unsure') => ({
  report_id: report.id,
  votes: report.highlights.map((h) => ({ highlight_id: h.id, vote: v })),
});

beforeAll(async () => {
  receiver = await startReceiver({ drives: { [DRIVE]: { manifest: MANIFEST } } });
  const drives = new DriveDirectory(join(receiver.dataDir, 'drives'));
  tokens.push(drives.addReviewerToken(DRIVE, ['zh-TW']), drives.addReviewerToken(DRIVE, ['pt-BR']), drives.addReviewerToken(DRIVE));
  for (const [contributor, reports] of [
    [CAROL, [carols]],
    [undefined, others],
  ] as const) {
    const response = await fetch(`${receiver.url}/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, drive_id: DRIVE, contributor, reports }),
    });
    expect(response.status).toBe(200);
  }
  outDir = mkdtempSync(join(tmpdir(), 'sounds-local-review-export-'));
});
afterAll(async () => {
  await receiver?.stop();
  rmSync(outDir, { recursive: true, force: true });
});

describe('GET /v1/review/next', () => {
  it('needs a reviewer token of that drive, and says so', async () => {
    expect(await next(undefined)).toMatchObject({ status: 401, json: { error: expect.stringContaining('needs a reviewer token') } });
    expect(await next('not-a-token-of-this-drive')).toMatchObject({ status: 401, json: { error: expect.stringContaining('not valid for drive "rv-api"') } });
    expect((await next(tokens[0], 'drive=nope')).status).toBe(404);
    expect((await next(tokens[0], '')).status).toBe(400);
    expect(await next(tokens[0], `drive=${DRIVE}&contributor=short`)).toMatchObject({ status: 400, json: { error: expect.stringContaining('contributor') } });
  });

  it("gives a report in the reviewer's locale first, without the uploader's identity or owner key", async () => {
    const shown = await next(tokens[1]);
    expect(shown.status).toBe(200);
    expect(shown.json!.report.id).toBe(others[1]!.id); // pt-BR for the pt-BR reviewer
    expect(shown.json!.drive.min_votes).toBe(2);
    expect(shown.json!.remaining).toBe(3);
    expect(shown.text).not.toContain(CAROL);
    const carolsAsShown = await next(tokens[0]); // zh-TW: Carol's report is the oldest zh-TW one
    expect(carolsAsShown.json!.report.id).toBe(carols.id);
    expect(carolsAsShown.json!.report).not.toHaveProperty('owner_key_hash');
    expect(carolsAsShown.text).not.toContain(CAROL);
  });
});

describe('POST /v1/review/votes', () => {
  it('refuses what it cannot count, with the reason', async () => {
    expect((await vote(tokens[0], allVotes(others[0]!, 'agree'), 'text/plain')).status).toBe(415);
    expect((await vote(undefined, allVotes(others[0]!, 'agree'))).status).toBe(401);
    expect(await vote(tokens[0], '{not json')).toMatchObject({ status: 400, json: { error: 'The request body is not valid JSON.' } });
    expect(await vote(tokens[0], { report_id: others[0]!.id, votes: [{ highlight_id: others[0]!.highlights[0]!.id, vote: 'maybe' }] })).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('vote must be agree, disagree or unsure') },
    });
    expect((await vote(tokens[0], { ...allVotes(others[0]!, 'agree'), report_id: randomUUID() })).status).toBe(404);
    expect(await vote(tokens[0], { report_id: others[0]!.id, votes: [{ highlight_id: carols.highlights[0]!.id, vote: 'agree' }] })).toMatchObject({
      status: 422,
    });
    const h = others[0]!.highlights[0]!.id;
    expect(
      await vote(tokens[0], {
        report_id: others[0]!.id,
        votes: [
          { highlight_id: h, vote: 'agree' },
          { highlight_id: h, vote: 'disagree' },
        ],
      }),
    ).toMatchObject({ status: 422 });
  });

  it('never lets a reviewer vote on, or be shown, their own reports', async () => {
    // Carol reviews with the third token and says which pseudonym is hers.
    const shown = await next(tokens[2], `drive=${DRIVE}&contributor=${CAROL}`);
    expect(shown.json!.report.id).not.toBe(carols.id);
    expect(await vote(tokens[2], allVotes(carols, 'agree'))).toMatchObject({ status: 403, json: { error: expect.stringContaining('your own reports') } });
  });

  it('records one vote per mark and reviewer, keeps the first, and stops showing the report', async () => {
    expect(await vote(tokens[0], allVotes(others[0]!, 'agree'))).toEqual({ status: 200, json: { report_id: others[0]!.id, recorded: 3 } });
    expect(await vote(tokens[0], allVotes(others[0]!, 'disagree'))).toEqual({ status: 200, json: { report_id: others[0]!.id, recorded: 0 } });
    const nextOne = await next(tokens[0]);
    expect(nextOne.json!.report.id).not.toBe(others[0]!.id);
  });

  it('answers 204 when nothing is left for this reviewer', async () => {
    for (const r of [carols, others[1]!]) await vote(tokens[0], allVotes(r, 'unsure'));
    expect((await next(tokens[0])).status).toBe(204);
  });
});

describe('what votes change', () => {
  beforeAll(async () => {
    // A second agreement validates others[0]'s marks; two disagreements reject Carol's first mark.
    await vote(tokens[1], {
      ...allVotes(others[0]!, 'agree'),
      votes: allVotes(others[0]!, 'agree').votes.map((v, i) => (i === 0 ? { ...v, suggestion: '影片' } : v)),
    });
    await vote(tokens[1], { report_id: carols.id, votes: [{ highlight_id: carols.highlights[0]!.id, vote: 'disagree' }] });
    await vote(tokens[2], { report_id: others[1]!.id, votes: [{ highlight_id: others[1]!.highlights[0]!.id, vote: 'disagree' }] });
    const drives = new DriveDirectory(join(receiver.dataDir, 'drives'));
    const fourth = drives.addReviewerToken(DRIVE);
    await vote(fourth, { report_id: carols.id, votes: [{ highlight_id: carols.highlights[0]!.id, vote: 'disagree' }] });
  });

  it("stats count marks as validated, pending and rejected under the drive's min_votes", async () => {
    const stats = StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats?drive=${DRIVE}`)).json());
    expect(stats.review).toEqual({ min_votes: 2, validated: 3, rejected: 1, pending: 5 });
    const page = await (await fetch(`${receiver.url}/drives/${DRIVE}`)).text();
    expect(page).toContain('Community review (2 votes decide)');
  });

  it("exports carry each mark's validation; --validated-only keeps only validated marks; the card states the rule and counts", async () => {
    const all = await runExport(['--data-dir', receiver.dataDir, '--drive', DRIVE, '--format', 'all', '--out', join(outDir, 'all')]);
    expect(all.code).toBe(0);
    const lines = readFileSync(join(outDir, 'all/data/reports.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; highlights: Array<{ id: string; validation: unknown }> });
    expect(lines).toHaveLength(3);
    const validatedReport = lines.find((r) => r.id === others[0]!.id)!;
    expect(validatedReport.highlights.map((h) => h.validation)).toEqual(Array(3).fill({ agree: 2, disagree: 0, unsure: 0, status: 'validated' }));
    expect(lines.find((r) => r.id === carols.id)!.highlights[0]!.validation).toEqual({ agree: 0, disagree: 2, unsure: 1, status: 'rejected' });
    expect(JSON.stringify(lines)).not.toContain(CAROL);
    const csv = readFileSync(join(outDir, 'all/data/highlights.csv'), 'utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe(HIGHLIGHT_COLUMNS.join(','));
    expect(csv.filter((row) => row.endsWith(',2,0,0,validated'))).toHaveLength(3);
    const card = readFileSync(join(outDir, 'all/README.md'), 'utf8');
    expect(card).toContain('## Community review');
    expect(card).toContain('A mark is **validated** when at least 2 reviewers agree and agreements outnumber disagreements');
    expect(card).toContain('- **3** validated marks\n- **5** pending\n- **1** rejected');

    const only = await runExport(['--data-dir', receiver.dataDir, '--drive', DRIVE, '--format', 'all', '--validated-only', '--out', join(outDir, 'only')]);
    expect(only.code).toBe(0);
    const kept = readFileSync(join(outDir, 'only/data/reports.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as UploadedReport);
    expect(kept.map((r) => r.id)).toEqual([others[0]!.id]);
    expect(readFileSync(join(outDir, 'only/README.md'), 'utf8')).toContain('This export holds **validated marks only** (3)');
    expect(readFileSync(join(outDir, 'only/data/dpo.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(1);
  });
});

describe("GET /review (the review page) in the viewer's language", () => {
  const page = async (acceptLanguage: string) => {
    const response = await fetch(`${receiver.url}/review?drive=${DRIVE}`, { headers: { 'Accept-Language': acceptLanguage } });
    expect(response.status).toBe(200);
    const html = await response.text();
    const data = JSON.parse(/<script type="application\/json" id="review-data">(.*)<\/script>/s.exec(html)![1]!) as {
      lang: string;
      messages: Record<string, { message: string }>;
    };
    return { html, data, language: response.headers.get('content-language') };
  };

  it('answers Accept-Language zh-TW in Traditional Chinese, left to right', async () => {
    const { html, data, language } = await page('zh-TW,zh;q=0.9,en;q=0.5');
    expect(html).toContain('<html class="in-tab" lang="zh-TW" dir="ltr">');
    expect(html).toContain('<h1>審查回報</h1>');
    expect(language).toBe('zh-TW');
    expect(data.lang).toBe('zh-TW');
    expect(data.messages.review_tokenLabel!.message).toBe('審查者權杖');
    expect(data.messages.review_markNumber).toEqual({ message: '標記 $NUMBER$', placeholders: { number: { content: '$1', example: '2' } } });
    expect(Object.keys(data.messages).every((k) => k === 'localeTag' || k === 'localeWithCode' || /^(review|category|severity)_/.test(k))).toBe(true);
  });

  it('answers Accept-Language ar in Arabic, right to left', async () => {
    const { html, data } = await page('ar');
    expect(html).toContain('lang="ar" dir="rtl"');
    expect(data.messages.review_voteAgree!.message).toMatch(/[\u0600-\u06FF]/);
  });

  it('answers a language the extension lacks in English', async () => {
    const { html } = await page('sw-KE, *;q=0.1');
    expect(html).toContain('lang="en" dir="ltr"');
    expect(html).toContain('<h1>Review reports</h1>');
  });
});
