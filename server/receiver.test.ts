// @vitest-environment node
// The upload protocol against the real receiver process on 127.0.0.1 (server/main.ts).
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL, StatsResponse, UploadResponse } from '../lib/protocol';
import type { UploadedReport } from '../lib/report';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';
import { startReceiver, type ReceiverProcess } from './testing';

let receiver: ReceiverProcess;
let firstDataDir = '';

const TW_DRIVE = {
  id: 'tw-2026',
  name: 'Taiwanese Mandarin 2026',
  organizer: 'g0v locale group',
  locales: ['zh-TW'],
  endpoint: 'http://127.0.0.1',
  license: 'CC-BY-4.0',
  requires_token: true,
};

beforeAll(async () => {
  receiver = await startReceiver({
    drives: {
      'tw-2026': { manifest: TW_DRIVE, tokens: ['tw-token-1', 'tw-token-2'] },
      'open-br': { manifest: { ...TW_DRIVE, id: 'open-br', locales: ['pt-BR'], requires_token: false } },
    },
  });
  firstDataDir = receiver.dataDir;
});
afterAll(async () => {
  await receiver?.stop();
  // A restarted receiver reuses the first one's directory, which stop() then leaves alone.
  rmSync(firstDataDir, { recursive: true, force: true });
});

/** Ids in this file come from their own range so tests don't collide with each other. */
let next = 1000;
const fresh = (overrides: Partial<UploadedReport> = {}) => sampleUploaded(next++, overrides);

async function post(
  reports: unknown[],
  options: { key?: string; token?: string; driveId?: string; body?: string; contentType?: string; origin?: string } = {},
) {
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/json' };
  if (options.key !== '') headers['Idempotency-Key'] = options.key ?? randomUUID();
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.origin) headers.Origin = options.origin;
  const body = options.body ?? JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, drive_id: options.driveId, reports });
  const response = await fetch(`${receiver.url}/v1/reports`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as unknown) : undefined };
}

function results(json: unknown) {
  return UploadResponse.parse(json).results;
}

describe('POST /v1/reports', () => {
  it('accepts a batch of valid reports, one result per report in order', async () => {
    const batch = [fresh(), fresh(), fresh()];
    const res = await post(batch);
    expect(res.status).toBe(200);
    expect(results(res.json)).toEqual(batch.map((r) => ({ id: r.id, status: 'accepted' })));
  });

  it('answers duplicate for a report id it already holds, even under a new key', async () => {
    const report = fresh();
    await post([report]);
    const again = await post([report, fresh()]);
    expect(results(again.json).map((r) => r.status)).toEqual(['duplicate', 'accepted']);
  });

  it('answers duplicate for the second copy of one id within a batch', async () => {
    const report = fresh();
    expect(results((await post([report, report])).json).map((r) => r.status)).toEqual(['accepted', 'duplicate']);
  });

  it('rejects hostile reports one by one with a reason and accepts the rest of the batch', async () => {
    const good = fresh();
    const huge = fresh({ answer: 'x'.repeat(200_001), highlights: [] });
    const wrongType = { ...fresh(), answer: 42 };
    const extraKey = { ...fresh(), page_url: 'https://chatgpt.com/c/secret', evil: true };
    const badAnchor = fresh();
    badAnchor.highlights[0] = { ...badAnchor.highlights[0]!, start: 0 };
    const res = await post([huge, good, wrongType, extraKey, 'not a report', badAnchor, { id: { $gt: '' } }]);
    expect(res.status).toBe(200);
    const out = results(res.json);
    expect(out.map((r) => r.status)).toEqual(['rejected', 'accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(out[0]).toMatchObject({ id: huge.id, reason: expect.stringContaining('answer: must be at most 200,000 characters') });
    expect(out[2]!.reason).toMatch(/^answer: .*expected string, received number/);
    expect(out[3]!.reason).toContain('page_url');
    expect(out[3]!.reason).toContain('evil');
    expect(out[4]).toMatchObject({ id: '#4', reason: expect.stringContaining('expected object') });
    expect(out[5]!.reason).toContain('highlights[0].exact: mark 1 does not match the answer');
    expect(out[6]!.id).toBe('#6');
  });

  it('accepts <script> in text as text and stores it verbatim as data', async () => {
    const answer = 'Use <script>alert("x")</script> & <b>bold</b> — 視頻';
    const report = fresh({ answer, highlights: [], comment: '<img src=x onerror=alert(1)>' });
    expect(results((await post([report])).json)[0]!.status).toBe('accepted');
    const db = new DatabaseSync(receiver.dbPath, { readOnly: true });
    const row = db.prepare('SELECT body FROM reports WHERE id = ?').get(report.id) as { body: string };
    db.close();
    expect(JSON.parse(row.body)).toEqual(report);
  });

  it('replays the stored answer for the same key and body without storing anything twice', async () => {
    const key = randomUUID();
    const batch = [fresh({ expected_locale: 'fr-CA', highlights: [] }), fresh({ expected_locale: 'fr-CA', highlights: [] })];
    const first = await post(batch, { key });
    const before = StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats`)).json());
    const replay = await post(batch, { key });
    expect(replay.status).toBe(200);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const after = StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats`)).json());
    expect(after).toEqual(before);
    expect(after.by_locale['fr-CA']).toBe(2);
  });

  it('answers 422 when a key is reused for a different body', async () => {
    const key = randomUUID();
    await post([fresh()], { key });
    const res = await post([fresh()], { key });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ error: expect.stringContaining('already used for a different batch') });
  });

  it('answers 400 with a readable error for malformed JSON', async () => {
    const res = await post([], { body: '{"protocol": "sounds-local/upload@1", "reports": [' });
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toMatch(/^The request body is not valid JSON/);
  });

  it('answers 400 for a missing Idempotency-Key or a foreign envelope', async () => {
    expect((await post([fresh()], { key: '' })).status).toBe(400);
    const foreign = await post([], { body: JSON.stringify({ protocol: 'other/1', client: SAMPLE_CLIENT, reports: [] }) });
    expect(foreign.status).toBe(400);
    expect((foreign.json as { error: string }).error).toContain('protocol must be "sounds-local/upload@1"');
  });

  it('answers 415 when the body is not declared as JSON', async () => {
    expect((await post([fresh()], { contentType: 'text/plain' })).status).toBe(415);
  });

  it('answers 413 for a body over the limit, and for more than 100 reports', async () => {
    const big = await post([], { body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: [], pad: 'x'.repeat(2_100_000) }) });
    expect(big.status).toBe(413);
    expect((big.json as { error: string }).error).toContain('2,000,000 bytes');
    const many = await post(Array.from({ length: 101 }, () => ({})));
    expect(many.status).toBe(413);
    expect((many.json as { error: string }).error).toContain('at most 100');
  });

  it('needs a drive token where the drive requires one: 401 without or with a wrong one', async () => {
    const report = fresh({ drive_id: 'tw-2026' });
    const none = await post([report], { driveId: 'tw-2026' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((none.json as { error: string }).error).toContain('needs an access token');
    expect((await post([report], { driveId: 'tw-2026', token: 'guess' })).status).toBe(401);
    const ok = await post([report], { driveId: 'tw-2026', token: 'tw-token-2' });
    expect(results(ok.json)[0]!.status).toBe('accepted');
  });

  it('rejects a report whose drive differs from the batch, so a token check cannot be dodged', async () => {
    const sneaky = fresh({ drive_id: 'tw-2026' });
    const res = await post([sneaky, fresh()]);
    expect(results(res.json).map((r) => r.status)).toEqual(['rejected', 'accepted']);
    expect(results(res.json)[0]!.reason).toContain("does not match the batch's drive");
  });

  it('takes uploads for open drives and for drives it does not host without a token', async () => {
    expect(results((await post([fresh({ drive_id: 'open-br' })], { driveId: 'open-br' })).json)[0]!.status).toBe('accepted');
    expect(results((await post([fresh({ drive_id: 'elsewhere' })], { driveId: 'elsewhere' })).json)[0]!.status).toBe('accepted');
  });
});

describe('CORS', () => {
  it('answers a preflight from an extension with the methods and headers uploads, withdrawals and updates use', async () => {
    for (const origin of ['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'moz-extension://0b7c1f3e-5c2a-4f7e-9a51-2f1d2c3b4a59']) {
      const res = await fetch(`${receiver.url}/v1/reports`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/).sort()).toEqual([
        'authorization',
        'content-type',
        'idempotency-key',
        'owner-key',
      ]);
    }
  });

  it('grants nothing to web pages', async () => {
    const res = await fetch(`${receiver.url}/v1/reports`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const post2 = await post([fresh()], { origin: 'https://evil.example' });
    expect(post2.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets an extension read upload answers', async () => {
    const res = await post([fresh()], { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' });
    expect(res.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
  });
});

describe('GET /v1/stats and drives', () => {
  it('counts a drive by locale, category and status', async () => {
    const drive = 'open-br';
    const before = StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats?drive=${drive}`)).json());
    const a = fresh({ drive_id: drive });
    await post([a, fresh({ drive_id: drive }), { ...fresh({ drive_id: drive }), answer: '' }], { driveId: drive });
    await post([a], { driveId: drive });
    const after = StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats?drive=${drive}`)).json());
    expect(after.drive_id).toBe(drive);
    expect(after.reports - before.reports).toBe(2);
    expect(after.by_status.accepted - before.by_status.accepted).toBe(2);
    expect(after.by_status.duplicate - before.by_status.duplicate).toBe(1);
    expect(after.by_status.rejected - before.by_status.rejected).toBe(1);
    const localeDelta = Object.values(after.by_locale).reduce((s, n) => s + n, 0) - Object.values(before.by_locale).reduce((s, n) => s + n, 0);
    expect(localeDelta).toBe(2);
    const marks = a.highlights.length + sampleUploaded(next - 2).highlights.length;
    const categoryDelta =
      Object.values(after.by_category).reduce((s, n) => s + (n ?? 0), 0) - Object.values(before.by_category).reduce((s, n) => s + (n ?? 0), 0);
    expect(categoryDelta).toBe(marks);
  });

  it('serves hosted drive manifests, never their tokens', async () => {
    const res = await fetch(`${receiver.url}/v1/drives/tw-2026`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(TW_DRIVE);
    expect((await fetch(`${receiver.url}/v1/drives/tw-2026.tokens`)).status).toBe(404);
    expect((await fetch(`${receiver.url}/v1/drives/..%2F..%2Fetc%2Fpasswd`)).status).toBe(400);
    expect((await fetch(`${receiver.url}/v1/drives/nope`)).status).toBe(404);
    expect((await fetch(`${receiver.url}/v1/drives/%E0%A4%A`)).status).toBe(400);
  });

  it('answers 404 and 405 readably', async () => {
    const missing = await fetch(`${receiver.url}/v2/reports`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toContain('POST /v1/reports');
    const wrong = await fetch(`${receiver.url}/v1/reports`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('POST');
  });

  it('logs one concise line per request', () => {
    const lines = receiver
      .output()
      .split('\n')
      .filter((l) => l.startsWith('POST /v1/reports'));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.length).toBeLessThan(160);
    expect(lines.some((l) => /^POST \/v1\/reports 200 \d+ms key=\w{8} accepted=\d+ duplicate=\d+ rejected=\d+/.test(l))).toBe(true);
  });
});

describe('persistence', () => {
  it('still knows its reports and keys after a restart on the same data directory', async () => {
    const dataDir = receiver.dataDir;
    const report = fresh();
    const key = randomUUID();
    const first = await post([report], { key });
    await receiver.stop({ keepData: true });
    receiver = await startReceiver({ dataDir });
    const replay = await post([report], { key });
    expect(replay.text).toBe(first.text);
    expect(results((await post([report])).json)[0]!.status).toBe('duplicate');
  });
});
