// @vitest-environment node
// Drives end to end on the receiver side: the organiser's CLI (`npm run drive`, run as a
// child process against a temp DATA_DIR) and a real receiver process serving what it wrote.
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJoinInput, type DriveManifest } from '../lib/drive';
import { PROTOCOL, StatsResponse, UpdateResponse, UploadResponse, WithdrawResponse, ownerKeyHash } from '../lib/protocol';
import type { UploadedReport } from '../lib/report';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';
import { runDriveCli, runExport, startReceiver, type ReceiverProcess } from './testing';

let receiver: ReceiverProcess;
beforeAll(async () => {
  receiver = await startReceiver({ env: { LOG: 'quiet' } });
});
afterAll(async () => {
  await receiver?.stop();
});

const drive = (args: string[]) => runDriveCli(args, receiver.dataDir);

function manifest(overrides: Partial<DriveManifest> & { id: string }): DriveManifest {
  return {
    name: 'Taiwanese Mandarin 2026',
    organizer: 'g0v locale group',
    description: 'Mark mainland vocabulary in answers meant for Taiwan.',
    locales: ['zh-TW'],
    endpoint: receiver.url,
    guidelines: { en: 'Mark 視頻 → 影片 and similar words.', 'zh-TW': '請標記「視頻」等用語。' },
    license: 'CC-BY-4.0',
    privacy_url: `${receiver.url}/privacy`,
    requires_token: false,
    ...overrides,
  };
}

function writeManifest(value: unknown): string {
  const file = join(receiver.dataDir, `manifest-${randomUUID()}.json`);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

/** The `label: value` lines `create` prints. */
function created(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout.split('\n').flatMap((line) => {
      const m = /^(join link|join code|drive page|token): (\S+)$/.exec(line);
      return m ? [[m[1]!, m[2]!]] : [];
    }),
  );
}

async function createDrive(overrides: Partial<DriveManifest> & { id: string }) {
  const result = await drive(['create', writeManifest(manifest(overrides))]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return created(result.stdout);
}

let n = 7_000;
const fresh = (overrides: Partial<UploadedReport> = {}) => sampleUploaded(n++, overrides);

async function upload(reports: UploadedReport[], driveId: string | undefined, token?: string) {
  const res = await fetch(`${receiver.url}/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, drive_id: driveId, reports }),
  });
  const json = (await res.json()) as unknown;
  return { status: res.status, json, statuses: res.ok ? UploadResponse.parse(json).results.map((r) => r.status) : [] };
}

async function exportedIds(driveId: string): Promise<string[]> {
  const out = join(receiver.dataDir, `export-${randomUUID()}.jsonl`);
  const result = await runExport(['--format', 'jsonl', '--out', out, '--drive', driveId, '--data-dir', receiver.dataDir]);
  expect(result.code, result.output).toBe(0);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as UploadedReport).id);
}

describe('npm run drive -- create', () => {
  it('refuses a bad manifest with one line per problem and writes nothing', async () => {
    const before = readdirSync(join(receiver.dataDir, 'drives'));
    const result = await drive([
      'create',
      writeManifest({ ...manifest({ id: 'bad-one' }), license: 'WTFPL', locales: ['pt_BR'], licence: 'x', guidelines: '' }),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/: 4 problems; nothing was written\.$/);
    expect(lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual(['licence', 'locales[0]', 'guidelines', 'license']);
    expect(readdirSync(join(receiver.dataDir, 'drives'))).toEqual(before);
  });

  it('refuses a file that is not JSON, with the parser’s reason', async () => {
    const result = await drive(['create', writeManifest('{ "id": "x", ')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The manifest is not valid JSON/);
  });

  it('hosts a token drive: prints join link, join code, drive page and a token the receiver accepts', async () => {
    const out = await createDrive({ id: 'tw-cli', requires_token: true });
    expect(out['join link']).toBe(`${receiver.url}/v1/drives/tw-cli`);
    expect(out['drive page']).toBe(`${receiver.url}/drives/tw-cli`);
    expect(out['join code']).toMatch(new RegExp(`^127\\.0\\.0\\.1:${receiver.port}/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$`));
    expect(out.token).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const byLink = await fetch(out['join link']!);
    expect(byLink.status).toBe(200);
    const served = (await byLink.json()) as DriveManifest;
    expect(served).toMatchObject({ id: 'tw-cli', requires_token: true, license: 'CC-BY-4.0' });

    const join = parseJoinInput(out['join code']!);
    if (!join.ok || join.kind !== 'code') throw new Error(`join code did not parse: ${JSON.stringify(join)}`);
    expect(join.endpoint).toBe(receiver.url);
    const byCode = await fetch(join.lookupUrl);
    expect(byCode.status).toBe(200);
    expect(await byCode.json()).toEqual(served);
    // Typed sloppily, the code still finds the drive.
    expect((await fetch(`${receiver.url}/v1/drives?code=${join.code.toLowerCase().slice(0, 4)}-${join.code.toLowerCase().slice(4)}`)).status).toBe(200);

    const report = fresh({ drive_id: 'tw-cli' });
    expect((await upload([report], 'tw-cli')).status).toBe(401);
    expect((await upload([report], 'tw-cli', out.token)).statuses).toEqual(['accepted']);
  });

  it('answers 404 for a code no drive has and 400 for something that is not a code', async () => {
    const unknown = await fetch(`${receiver.url}/v1/drives?code=ZZZZ-ZZZZ`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/No drive on this receiver has the join code ZZZZ-ZZZZ/);
    expect((await fetch(`${receiver.url}/v1/drives?code=O0O0`)).status).toBe(400);
    expect((await fetch(`${receiver.url}/v1/drives`)).status).toBe(400);
  });

  it('refuses to create a drive whose id is already hosted, and changes nothing', async () => {
    await createDrive({ id: 'twice' });
    const before = readFileSync(join(receiver.dataDir, 'drives/twice.json'), 'utf8');
    const again = await drive(['create', writeManifest(manifest({ id: 'twice', name: 'Other name' }))]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists here; use `npm run drive -- update/);
    expect(readFileSync(join(receiver.dataDir, 'drives/twice.json'), 'utf8')).toBe(before);
  });

  it('prints the same facts as JSON with --json', async () => {
    const result = await drive(['create', writeManifest(manifest({ id: 'json-out', requires_token: true })), '--json']);
    const json = JSON.parse(result.stdout) as Record<string, string>;
    expect(Object.keys(json).sort()).toEqual(['code', 'drive_page', 'id', 'join_code', 'join_link', 'name', 'token']);
    expect(json.join_code).toBe(`127.0.0.1:${receiver.port}/${json.code!.slice(0, 4)}-${json.code!.slice(4)}`);
  });
});

describe('npm run drive -- list, token, revoke, close', () => {
  it('lists hosted drives with state, token count and join code', async () => {
    await createDrive({ id: 'listed', requires_token: true });
    const result = await drive(['list', '--json']);
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.id === 'listed')).toMatchObject({
      state: 'active',
      requires_token: true,
      tokens: 1,
      join_code: expect.stringMatching(/\/[A-Z0-9]{4}-[A-Z0-9]{4}$/),
    });
    const text = await drive(['list']);
    expect(text.stdout).toMatch(/^listed\tactive\ttoken \(1\)\t127\.0\.0\.1:\d+\/\S+\tTaiwanese Mandarin 2026$/m);
  });

  it('adds a token that works at once, and revoking it makes uploads answer 401 while the other keeps working', async () => {
    const first = (await createDrive({ id: 'tokens', requires_token: true })).token!;
    const added = await drive(['token', 'tokens']);
    const second = /^token: (\S+)$/m.exec(added.stdout)![1]!;
    expect(second).not.toBe(first);
    expect((await upload([fresh({ drive_id: 'tokens' })], 'tokens', second)).statuses).toEqual(['accepted']);
    const revoked = await drive(['revoke', 'tokens', second]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/1 token\(s\) left/);
    const refused = await upload([fresh({ drive_id: 'tokens' })], 'tokens', second);
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ error: 'The access token is not valid for drive "tokens".' });
    expect((await upload([fresh({ drive_id: 'tokens' })], 'tokens', first)).statuses).toEqual(['accepted']);
    expect((await drive(['revoke', 'tokens', second])).code).toBe(1);
  });

  it('refuses a token for an open drive and names unknown drives', async () => {
    await createDrive({ id: 'open-one' });
    expect((await drive(['token', 'open-one'])).stderr).toMatch(/does not require a token/);
    const missing = await drive(['close', 'no-such-drive']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No drive "no-such-drive"/);
    expect((await drive(['frobnicate'])).code).toBe(2);
  });

  it('updates a manifest in place, keeping its join code, tokens and closing, and says when members must agree again', async () => {
    const out = await createDrive({ id: 'updating', requires_token: true });
    await drive(['close', 'updating']);
    const result = await drive([
      'update',
      writeManifest(manifest({ id: 'updating', requires_token: true, name: 'New name', license: 'CC0-1.0', description: 'New text' })),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('updated drive updating: New name\nnote: name, license changed; members are asked to agree again before their next upload.\n');
    const served = (await (await fetch(out['join link']!)).json()) as DriveManifest;
    expect(served).toMatchObject({ name: 'New name', license: 'CC0-1.0', closed_at: expect.stringMatching(/Z$/) });
    const join = parseJoinInput(out['join code']!);
    if (!join.ok || join.kind !== 'code') throw new Error('join code did not parse');
    expect((await fetch(join.lookupUrl)).status).toBe(200);
    expect((await upload([fresh({ drive_id: 'updating' })], 'updating', out.token)).json).toEqual({ error: 'drive closed' });
    const missing = await drive(['update', writeManifest(manifest({ id: 'never-created' }))]);
    expect(missing.code).toBe(1);
  });

  it('closes a drive: uploads get 403 "drive closed"; stats, the manifest and exports keep working', async () => {
    await createDrive({ id: 'closing' });
    const kept = fresh({ drive_id: 'closing' });
    expect((await upload([kept], 'closing')).statuses).toEqual(['accepted']);
    const closed = await drive(['close', 'closing']);
    expect(closed.stdout).toMatch(/^closed drive closing at \d{4}-\d\d-\d\dT/);
    const refused = await upload([fresh({ drive_id: 'closing' })], 'closing');
    expect(refused).toMatchObject({ status: 403, json: { error: 'drive closed' } });
    const stats = StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats?drive=closing`)).json());
    expect(stats).toMatchObject({ reports: 1, drive: { state: 'closed' } });
    expect(((await (await fetch(`${receiver.url}/v1/drives/closing`)).json()) as DriveManifest).closed_at).toMatch(/Z$/);
    expect(await exportedIds('closing')).toEqual([kept.id]);
    expect((await drive(['close', 'closing'])).stdout).toMatch(/already closed/);
  });
});

describe('GET /v1/stats?drive=', () => {
  it('needs a valid token for a token drive (401 otherwise) and reports progress against the goal', async () => {
    const token = (await createDrive({ id: 'stats-tok', requires_token: true, goal_reports: 40 })).token!;
    const a = fresh({ drive_id: 'stats-tok' });
    await upload([a, fresh({ drive_id: 'stats-tok', highlights: [] })], 'stats-tok', token);
    expect((await fetch(`${receiver.url}/v1/stats?drive=stats-tok`)).status).toBe(401);
    expect((await fetch(`${receiver.url}/v1/stats?drive=stats-tok`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const res = await fetch(`${receiver.url}/v1/stats?drive=stats-tok`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const stats = StatsResponse.parse(await res.json());
    const today = new Date().toISOString().slice(0, 10);
    expect(stats).toMatchObject({
      drive_id: 'stats-tok',
      reports: 2,
      highlights: a.highlights.length,
      by_locale: { [a.expected_locale]: 1 },
      by_severity: { minor: a.highlights.length },
      by_day: [{ day: today, reports: 2, highlights: a.highlights.length }],
      drive: { name: 'Taiwanese Mandarin 2026', goal_reports: 40, state: 'active' },
    });
  });

  it('answers an open drive’s stats to anyone', async () => {
    await createDrive({ id: 'stats-open' });
    const res = await fetch(`${receiver.url}/v1/stats?drive=stats-open`);
    expect(res.status).toBe(200);
    expect(StatsResponse.parse(await res.json())).toMatchObject({ reports: 0, drive: { goal_reports: null } });
  });
});

describe('withdraw and update (DESIGN §8a)', () => {
  const ownerKey = () => randomBytes(32).toString('base64url');
  const del = (id: string, key?: string) => fetch(`${receiver.url}/v1/reports/${id}`, { method: 'DELETE', headers: key ? { 'Owner-Key': key } : {} });
  const put = (report: UploadedReport, key: string, token?: string, at = report.id) =>
    fetch(`${receiver.url}/v1/reports/${at}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'Owner-Key': key, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(report),
    });

  it('withdraws with the owner key (idempotent); wrong or missing key 403, unknown id 404; the report leaves stats and exports', async () => {
    await createDrive({ id: 'wd' });
    const key = ownerKey();
    const gone = fresh({ drive_id: 'wd', owner_key_hash: await ownerKeyHash(key) });
    const kept = fresh({ drive_id: 'wd', owner_key_hash: await ownerKeyHash(ownerKey()) });
    expect((await upload([gone, kept], 'wd')).statuses).toEqual(['accepted', 'accepted']);

    expect((await del(gone.id)).status).toBe(403);
    expect((await del(gone.id, ownerKey())).status).toBe(403);
    expect((await del(randomUUID(), key)).status).toBe(404);
    for (let i = 0; i < 2; i++) {
      const res = await del(gone.id, key);
      expect(res.status).toBe(200);
      expect(WithdrawResponse.parse(await res.json())).toEqual({ id: gone.id, status: 'withdrawn' });
    }
    expect(StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats?drive=wd`)).json())).toMatchObject({ reports: 1, by_status: { withdrawn: 1 } });
    expect(await exportedIds('wd')).toEqual([kept.id]);
    expect((await upload([gone], 'wd')).statuses).toEqual(['withdrawn']);
    expect(await exportedIds('wd')).toEqual([kept.id]);
  });

  it('never exports owner_key_hash', async () => {
    await createDrive({ id: 'nohash' });
    const hash = await ownerKeyHash(ownerKey());
    await upload([fresh({ drive_id: 'nohash', owner_key_hash: hash })], 'nohash');
    const out = join(receiver.dataDir, `all-${randomUUID()}`);
    expect((await runExport(['--format', 'all', '--out', out, '--drive', 'nohash', '--data-dir', receiver.dataDir])).code).toBe(0);
    for (const file of ['data/reports.jsonl', 'data/highlights.csv', 'data/dpo.jsonl', 'README.md']) {
      const text = readFileSync(join(out, file), 'utf8');
      expect(text).not.toContain(hash);
      expect(text).not.toContain('owner_key_hash');
    }
  });

  it('replaces a report by a later edit (updated); an equal updated_at is a duplicate; the export holds the edit', async () => {
    const token = (await createDrive({ id: 'upd', requires_token: true })).token!;
    const key = ownerKey();
    const original = fresh({ drive_id: 'upd', owner_key_hash: await ownerKeyHash(key) });
    await upload([original], 'upd', token);
    const edited = { ...original, comment: 'fixed a mark', updated_at: new Date(Date.parse(original.updated_at) + 60_000).toISOString() };

    expect((await put(edited, key)).status).toBe(401);
    expect((await put(edited, ownerKey(), token)).status).toBe(403);
    const res = await put(edited, key, token);
    expect(res.status).toBe(200);
    expect(UpdateResponse.parse(await res.json())).toEqual({ id: original.id, status: 'updated' });
    expect(UpdateResponse.parse(await (await put(edited, key, token)).json()).status).toBe('duplicate');
    expect(UpdateResponse.parse(await (await put(original, key, token)).json()).status).toBe('duplicate');

    const out = join(receiver.dataDir, `upd-${randomUUID()}.jsonl`);
    await runExport(['--format', 'jsonl', '--out', out, '--drive', 'upd', '--data-dir', receiver.dataDir]);
    const exported = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as UploadedReport);
    expect(exported).toHaveLength(1);
    expect(exported[0]!.comment).toBe('fixed a mark');

    const bad = await put({ ...edited, answer: '' }, key, token);
    expect(bad.status).toBe(422);
    const elsewhere = await put({ ...edited, id: randomUUID() }, key, token, original.id);
    expect(elsewhere.status).toBe(400);
    expect((await put({ ...edited, id: randomUUID() }, key, token)).status).toBe(404);
  });

  it('still withdraws on a closed drive but refuses updates there', async () => {
    await createDrive({ id: 'wd-closed' });
    const key = ownerKey();
    const report = fresh({ drive_id: 'wd-closed', owner_key_hash: await ownerKeyHash(key) });
    await upload([report], 'wd-closed');
    await drive(['close', 'wd-closed']);
    const later = { ...report, updated_at: new Date(Date.parse(report.updated_at) + 1000).toISOString() };
    const refused = await put(later, key);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'drive closed' });
    expect((await del(report.id, key)).status).toBe(200);
  });

  it('lets extension pages send Owner-Key with DELETE and PUT (CORS preflight)', async () => {
    const res = await fetch(`${receiver.url}/v1/reports/${randomUUID()}`, {
      method: 'OPTIONS',
      headers: { Origin: 'chrome-extension://abcdefghijklmnop', 'Access-Control-Request-Method': 'DELETE', 'Access-Control-Request-Headers': 'owner-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(res.headers.get('access-control-allow-headers')).toContain('Owner-Key');
  });
});

describe('npm run export -- --drive', () => {
  it('writes a dataset card naming the drive, its organiser, licence, target locales and guidelines', async () => {
    await createDrive({
      id: 'card-drive',
      name: 'Taiwanese Mandarin 2026',
      organizer: 'g0v <locale> group',
      locales: ['zh-TW', 'en-GB'],
      license: 'CC-BY-SA-4.0',
      guidelines: { en: 'Mark 視頻 → 影片.\n<b>No HTML</b> please.', 'zh-TW': '請標記「視頻」。' },
    });
    const report = fresh({ drive_id: 'card-drive' });
    await upload([report, fresh()], 'card-drive');
    const out = join(receiver.dataDir, `card-${randomUUID()}`);
    const result = await runExport(['--format', 'all', '--out', out, '--drive', 'card-drive', '--data-dir', receiver.dataDir]);
    expect(result.code, result.output).toBe(0);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    expect(card).toMatch(/^---\nlicense: cc-by-sa-4\.0\npretty_name: "Taiwanese Mandarin 2026"\n/);
    expect(card).toContain('## The feedback drive');
    expect(card).toContain('- **Organiser:** g0v &lt;locale> group');
    expect(card).toContain('- **Target locales:** `zh-TW`, `en-GB`');
    expect(card).toContain('- **Licence:** [CC-BY-SA-4.0](https://creativecommons.org/licenses/by-sa/4.0/)');
    expect(card).toContain('> Mark 視頻 → 影片.\n> &lt;b>No HTML&lt;/b> please.');
    expect(card).toContain('**zh-TW**\n\n> 請標記「視頻」。');
    expect(card).not.toContain('<b>');
    expect(card).toContain('**1** reports');
    expect(
      readFileSync(join(out, 'data/reports.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as UploadedReport).id),
    ).toEqual([report.id]);
  });
});

describe('GET /drives/<id> (the drive page)', () => {
  it('renders manifest text as text, never as markup, and runs no script', async () => {
    await createDrive({
      id: 'hostile',
      name: '<script>alert(1)</script> & "friends"',
      organizer: '<img src=x onerror=alert(2)>',
      description: '</style><b>bold?</b>',
      guidelines: '<iframe src="https://evil.example"></iframe>',
    });
    const res = await fetch(`${receiver.url}/drives/hostile`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).not.toMatch(/<script|<img|<iframe|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('shows a token drive’s manifest to anyone but its progress only with a valid ?token=', async () => {
    const token = (await createDrive({ id: 'page-tok', requires_token: true, goal_reports: 12_345 })).token!;
    await upload([fresh({ drive_id: 'page-tok' })], 'page-tok', token);
    const anonymous = await (await fetch(`${receiver.url}/drives/page-tok`)).text();
    expect(anonymous).toContain('Taiwanese Mandarin 2026');
    expect(anonymous).toContain('numbers are shown to members only');
    expect(anonymous).not.toMatch(/12,345|of 12/);
    const wrong = await fetch(`${receiver.url}/drives/page-tok?token=nope`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That token is not valid for this drive.');
    const member = await (await fetch(`${receiver.url}/drives/page-tok?token=${encodeURIComponent(token)}`)).text();
    expect(member).toContain('1 of 12,345 reports');
  });

  it('speaks the viewer’s Accept-Language: words, numbers and dates, and says so in its headers', async () => {
    await createDrive({ id: 'page-de', goal_reports: 12_345, ends_at: '2030-03-01T00:00:00Z' });
    const res = await fetch(`${receiver.url}/drives/page-de`, { headers: { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5' } });
    expect(res.headers.get('content-language')).toBe('de');
    expect(res.headers.get('vary')).toBe('Accept-Language');
    const html = await res.text();
    expect(html).toContain('<html lang="de" dir="ltr">');
    expect(html).toContain('0 von 12.345 Meldungen');
    expect(html).toContain('Läuft bis 01.03.2030');
    const ar = await fetch(`${receiver.url}/drives/page-de`, { headers: { 'Accept-Language': 'ar' } });
    expect(ar.headers.get('content-language')).toBe('ar');
    expect(await ar.text()).toContain('<html lang="ar" dir="rtl">');
    const en = await (await fetch(`${receiver.url}/drives/page-de`)).text();
    expect(en).toContain('0 of 12,345 reports');
  });

  it('says when a drive starts, ended or was closed', async () => {
    await createDrive({ id: 'later', starts_at: '2099-01-01T00:00:00Z' });
    expect(await (await fetch(`${receiver.url}/drives/later`)).text()).toContain('>Starts Jan 1, 2099<');
    await createDrive({ id: 'past', starts_at: '2020-01-01T00:00:00Z', ends_at: '2020-02-01T00:00:00Z' });
    expect(await (await fetch(`${receiver.url}/drives/past`)).text()).toContain('>Ended Feb 1, 2020<');
    await createDrive({ id: 'shut' });
    await drive(['close', 'shut']);
    expect(await (await fetch(`${receiver.url}/drives/shut`)).text()).toMatch(/>Closed [A-Z][a-z]{2} \d{1,2}, \d{4}</);
  });

  it('shows locales folded into "other" by the stats cap as "Other locales"', async () => {
    await createDrive({ id: 'many-tags' });
    const reports = Array.from({ length: 52 }, (_, i) => fresh({ drive_id: 'many-tags', expected_locale: `en-GB-x-t${i}` }));
    for (let i = 0; i < reports.length; i += 26) await upload(reports.slice(i, i + 26), 'many-tags');
    const html = await (await fetch(`${receiver.url}/drives/many-tags`)).text();
    expect(html).toContain('<span class="name">Other locales</span><span class="n">2</span>');
  });

  it('answers 404 for a drive it does not host', async () => {
    expect((await fetch(`${receiver.url}/drives/nope`)).status).toBe(404);
  });
});
