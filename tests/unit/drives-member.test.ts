// @vitest-environment node
// Feedback drives on the member's side (lib/background/drives.ts) through the background's
// messages: joining by link and by code from a real local HTTP server, every manifest fault
// the issue names, leaving, the default drive of a new report, a manifest that changes after
// joining, and tokens that stay with the origin they were given for.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { openSoundsLocalDb, type JoinedDrive } from '../../lib/storage/db';
import { createBackground } from '../../lib/background/service';
import { createUploader } from '../../lib/background/uploads';
import { createDrives, defaultDriveFor } from '../../lib/background/drives';
import { readTokens } from '../../lib/upload/credentials';
import { EXTENSION_ID, EXTENSION_ORIGIN, POPUP, CHATGPT_TAB } from '../helpers/background';
import { makeReport } from '../helpers/reports';
import { scriptedServer, type RecordedRequest } from '../helpers/upload';
import { runDriveCli, startReceiver } from '../../server/testing';
import { CONTRIBUTOR_PATTERN } from '../../lib/protocol';
import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function manifestFor(endpoint: string, overrides: Record<string, unknown> = {}) {
  return {
    id: 'tw-2026',
    name: 'Taiwan Mandarin 2026',
    organizer: 'Taipei Language Meetup',
    description: 'Where chatbot answers sound like mainland China.',
    locales: ['zh-TW'],
    endpoint,
    guidelines: { en: 'Mark mainland vocabulary and Simplified characters.', 'zh-TW': '請標出大陸用語。' },
    license: 'CC-BY-4.0',
    privacy_url: 'https://example.org/privacy',
    requires_token: false,
    ...overrides,
  };
}

/**
 * A drive host: serves `manifest` at /v1/drives/<id> and at /v1/drives?code=K7QM4XPA, and
 * answers stats and uploads. `state.manifest` can change between requests.
 */
async function driveHost(overrides: Record<string, unknown> = {}) {
  const state: { manifest?: Record<string, unknown>; raw?: { body: string; headers?: Record<string, string> }; stats?: unknown } = {};
  const server = await scriptedServer((req: RecordedRequest, res: ServerResponse) => {
    if (req.url.startsWith('/v1/drives')) {
      if (state.raw) return void res.writeHead(200, { 'Content-Type': 'application/json', ...state.raw.headers }).end(state.raw.body);
      const known = req.url === `/v1/drives/${String(state.manifest?.id)}` || req.url === '/v1/drives?code=K7QM4XPA';
      if (!known) return void res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'no such drive' }));
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(state.manifest));
    }
    if (req.url.startsWith('/v1/stats')) {
      if (state.manifest?.requires_token && req.headers.authorization !== 'Bearer member-token')
        return void res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'token needed' }));
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(state.stats));
    }
    if (req.url === '/v1/reports') {
      const { reports } = JSON.parse(req.body) as { reports: Array<{ id: string }> };
      return void res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ results: reports.map((r) => ({ id: r.id, status: 'accepted' })) }));
    }
    res.writeHead(404).end();
  });
  servers.push(server);
  state.manifest = manifestFor(server.url, overrides);
  return { ...server, state };
}

let n = 0;
async function setup(options: { now?: () => Date } = {}) {
  const db = await openSoundsLocalDb(`drives-member-${++n}-${Math.random()}`);
  const client = { name: 'sounds-local', version: '0.1.0', browser: 'chrome' } as const;
  let release = () => {};
  // As entrypoints/background.ts wires it: a new token releases batches held for one.
  const drives = createDrives({ db, fetch, uiLanguages: () => ['en-GB'], now: options.now, timeoutMs: 3_000, onTokenChanged: () => release() });
  const uploader = createUploader({ db, drives, client, fetch, scheduleWake: () => {}, config: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 3_000 } });
  const background = createBackground({
    db,
    uploader,
    drives,
    client,
    extensionId: EXTENSION_ID,
    extensionOrigin: EXTENSION_ORIGIN,
    uiLanguages: () => ['en-GB'],
    now: options.now,
  });
  release = () => void uploader.retryNow();
  const send = (m: unknown) => background.handle(m, POPUP) as Promise<any>;
  const join = async (input: string, token?: string) => {
    const looked = await send({ type: 'drive-preview', input });
    if (!looked.ok) return looked;
    return send({ type: 'drive-join', manifest_url: looked.preview.manifest_url, manifest: looked.preview.manifest, ...(token ? { token } : {}) });
  };
  return { db, send, join, uploader, background };
}

describe('joining a drive', () => {
  it('shows who runs it, where reports go, the licence, privacy link and guidelines before anything is stored', async () => {
    const host = await driveHost();
    const { send, db } = await setup();
    const looked = await send({ type: 'drive-preview', input: `${host.url}/v1/drives/tw-2026` });
    expect(looked).toMatchObject({
      ok: true,
      preview: {
        manifest_url: `${host.url}/v1/drives/tw-2026`,
        endpoint: host.url,
        permission_pattern: 'http://127.0.0.1/*',
        state: 'active',
        guidelines: 'Mark mainland vocabulary and Simplified characters.',
        already_joined: false,
        manifest: { name: 'Taiwan Mandarin 2026', organizer: 'Taipei Language Meetup', license: 'CC-BY-4.0', privacy_url: 'https://example.org/privacy' },
      },
    });
    expect(looked.preview).not.toHaveProperty('cross_origin');
    expect(await db.getAll('drives')).toEqual([]);
  });

  it('joins by code (host/XXXX-XXXX) and keeps the drive’s own manifest link for later checks', async () => {
    const host = await driveHost();
    const { join, send } = await setup();
    const joined = await join(`127.0.0.1:${new URL(host.url).port}/k7qm-4xpa`);
    expect(joined).toMatchObject({ ok: true, drive: { id: 'tw-2026', endpoint: host.url, manifest_url: `${host.url}/v1/drives/tw-2026`, has_token: false } });
    expect(host.requests.map((r) => r.url)).toEqual(['/v1/drives?code=K7QM4XPA']);
    const state = await send({ type: 'get-state' });
    expect(state.drives.map((d: { id: string }) => d.id)).toEqual(['tw-2026']);
  });

  it('joins several drives and leaves one; the reports made for it keep their drive_id', async () => {
    const tw = await driveHost();
    const br = await driveHost({ id: 'br-2026', name: 'Português do Brasil', locales: ['pt-BR'] });
    const { join, send, db } = await setup();
    expect(await join(`${tw.url}/v1/drives/tw-2026`)).toMatchObject({ ok: true });
    expect(await join(`${br.url}/v1/drives/br-2026`)).toMatchObject({ ok: true });
    const report = makeReport({ drive_id: 'tw-2026', status: 'ready' });
    await send({ type: 'save-report', report });
    expect(await send({ type: 'drive-leave', drive_id: 'tw-2026' })).toEqual({ ok: true });
    expect((await send({ type: 'drive-list' })).drives.map((d: { id: string }) => d.id)).toEqual(['br-2026']);
    expect((await db.get('reports', report.id))?.drive_id).toBe('tw-2026');
    // Nothing is sent for a drive the member left: the review says what to do instead.
    const { review } = await send({ type: 'upload-review' });
    expect(review.groups[0]).toMatchObject({ key: 'tw-2026', problem: expect.stringMatching(/which you have left\. Move them to another drive or to none/) });
    expect(await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: true })).toMatchObject({ ok: false });
    expect(tw.requests.filter((r) => r.url === '/v1/reports')).toEqual([]);
  });

  it('files the drive token under the drive endpoint’s origin and the drive, nowhere else', async () => {
    const host = await driveHost({ requires_token: true });
    const { join, db, send } = await setup();
    expect(await join(`${host.url}/v1/drives/tw-2026`, 'member-token')).toMatchObject({ ok: true, drive: { has_token: true, requires_token: true } });
    expect(await readTokens(db)).toEqual({ [host.url]: { 'tw-2026': 'member-token' } });
    expect(JSON.stringify(await db.getAll('drives'))).not.toContain('member-token');
    expect(JSON.stringify((await send({ type: 'get-state' })).drives)).not.toContain('member-token');
  });
});

describe('manifest faults: a clear message, and nothing stored', () => {
  async function refused(input: string, setupHost?: (host: Awaited<ReturnType<typeof driveHost>>) => void) {
    const host = await driveHost();
    setupHost?.(host);
    const { send, db } = await setup();
    const reply = await send({ type: 'drive-preview', input: input.replace('HOST', host.url) });
    expect(reply.ok).toBe(false);
    expect(await db.getAll('drives')).toEqual([]);
    return reply as { error: string; problems?: string[] };
  }

  it('refuses a manifest served over plain http (other than localhost)', async () => {
    const reply = await refused('http://drives.example.org/v1/drives/tw-2026');
    expect(reply.error).toBe(
      'The join link must use https (plain http is allowed only for localhost and 127.0.0.1): http://drives.example.org/v1/drives/tw-2026',
    );
  });

  it('refuses a manifest larger than 64 kB, whether or not it says its length', async () => {
    const big = JSON.stringify({ ...manifestFor('https://example.org'), description: 'x'.repeat(70_000) });
    const declared = await refused(
      'HOST/v1/drives/tw-2026',
      (h) => (h.state.raw = { body: big, headers: { 'Content-Length': String(Buffer.byteLength(big)) } }),
    );
    expect(declared.error).toBe(`The drive manifest is ${Buffer.byteLength(big).toLocaleString('en')} bytes; at most 65,536 bytes (64 kB) are accepted.`);
    const chunked = await refused('HOST/v1/drives/tw-2026', (h) => (h.state.raw = { body: big, headers: { 'Transfer-Encoding': 'chunked' } }));
    expect(chunked.error).toMatch(/^The drive manifest is (more than )?[\d,]+ bytes; at most 65,536 bytes \(64 kB\) are accepted\.$/);
  });

  it('lists every problem of an invalid manifest, one line each', async () => {
    const reply = await refused('HOST/v1/drives/tw-2026', (h) => (h.state.manifest = { ...h.state.manifest, name: '', locales: ['pt_BR'], license: 'MIT' }));
    expect(reply.error).toBe('This drive’s manifest is not valid, so the drive can’t be joined:');
    expect(reply.problems).toEqual(
      expect.arrayContaining([
        'name: name is empty',
        expect.stringMatching(/^locales\[0\]: "pt_BR" uses "_"/),
        expect.stringMatching(/^license: license must be one of CC0-1\.0, CC-BY-4\.0/),
      ]),
    );
  });

  it('refuses an endpoint on another origin than the manifest unless the manifest says so, and shows it when it does', async () => {
    const undeclared = await refused(
      'HOST/v1/drives/tw-2026',
      (h) => (h.state.manifest = { ...h.state.manifest, endpoint: 'https://elsewhere.example.net/sl' }),
    );
    expect(undeclared.problems).toEqual([
      expect.stringMatching(
        /^endpoint: reports would go to https:\/\/elsewhere\.example\.net, but the manifest is served from http:\/\/127\.0\.0\.1:\d+; a drive sending reports to another site must say "endpoint_cross_origin": true\.$/,
      ),
    ]);

    const host = await driveHost({ endpoint: 'https://elsewhere.example.net/sl', endpoint_cross_origin: true });
    const { send } = await setup();
    const looked = await send({ type: 'drive-preview', input: `${host.url}/v1/drives/tw-2026` });
    expect(looked.preview).toMatchObject({
      endpoint: 'https://elsewhere.example.net/sl',
      cross_origin: { manifest_origin: host.url, endpoint_origin: 'https://elsewhere.example.net' },
    });
  });

  it('says so when the drive’s server is down or has no such drive', async () => {
    const { send } = await setup();
    expect(await send({ type: 'drive-preview', input: 'http://127.0.0.1:9/v1/drives/tw-2026' })).toEqual({
      ok: false,
      error: 'Could not reach 127.0.0.1:9: the server may be down or the address wrong. Try again later.',
    });
    const host = await driveHost();
    expect(await send({ type: 'drive-preview', input: `${host.url}/v1/drives/nope` })).toEqual({
      ok: false,
      error: `${new URL(host.url).host} has no drive at this link or code; check it with the organiser.`,
    });
  });

  it('does not join a drive that has ended', async () => {
    const host = await driveHost({ starts_at: '2025-01-01T00:00:00Z', ends_at: '2025-12-31T00:00:00Z' });
    const { join, db } = await setup();
    expect(await join(`${host.url}/v1/drives/tw-2026`)).toEqual({ ok: false, error: 'The drive “Taiwan Mandarin 2026” has ended; it takes no more reports.' });
    expect(await db.getAll('drives')).toEqual([]);
  });
});

describe('the default drive of a new report', () => {
  const drive = (id: string, locales: string[], joined_at: string, window: { starts_at?: string; ends_at?: string } = {}): JoinedDrive => ({
    id,
    manifest_url: `https://example.org/v1/drives/${id}`,
    manifest: { ...manifestFor('https://example.org'), id, locales, ...window },
    endpoint: 'https://example.org',
    joined_at,
    consented: { name: id, endpoint: 'https://example.org', license: 'CC-BY-4.0', at: joined_at },
  });
  const now = new Date('2026-06-01T00:00:00Z');

  it('belongs to an active drive whose locale matches when maximized, taking the drive’s spelling', () => {
    expect(defaultDriveFor([drive('tw', ['zh-TW'], '2026-01-01T00:00:00Z')], 'zh-Hant-TW', now)).toEqual({ drive_id: 'tw', expected_locale: 'zh-TW' });
  });

  it('belongs to no drive when no active drive matches the locale', () => {
    const drives = [
      drive('tw', ['zh-TW'], '2026-01-01T00:00:00Z'),
      drive('ended', ['pt-BR'], '2026-01-01T00:00:00Z', { ends_at: '2026-05-01T00:00:00Z' }),
      drive('later', ['pt-BR'], '2026-01-01T00:00:00Z', { starts_at: '2026-07-01T00:00:00Z' }),
    ];
    expect(defaultDriveFor(drives, 'pt-BR', now)).toEqual({ expected_locale: 'pt-BR' });
    // zh-CN maximizes to zh-Hans-CN: not the Taiwan drive.
    expect(defaultDriveFor(drives, 'zh-CN', now)).toEqual({ expected_locale: 'zh-CN' });
  });

  it('picks the most recently joined of several matching drives', () => {
    const drives = [drive('first', ['pt-BR'], '2026-01-01T00:00:00Z'), drive('second', ['pt-BR', 'pt-PT'], '2026-02-01T00:00:00Z')];
    expect(defaultDriveFor(drives, 'pt-BR', now).drive_id).toBe('second');
  });

  it('gives a captured answer the drive and its locale; after leaving, new captures have none', async () => {
    const host = await driveHost();
    const { join, send, background, db } = await setup();
    await send({ type: 'set-settings', settings: { default_locale: 'zh-TW' } });
    await join(`${host.url}/v1/drives/tw-2026`);
    const captured = await background.handle({ type: 'capture', site: 'chatgpt', answer: '這個視頻很好。' }, CHATGPT_TAB);
    expect(captured).toMatchObject({ ok: true });
    const report = await db.get('reports', (captured as unknown as { report_id: string }).report_id);
    expect(report).toMatchObject({ drive_id: 'tw-2026', expected_locale: 'zh-TW' });

    await send({ type: 'drive-leave', drive_id: 'tw-2026' });
    const later = (await background.handle({ type: 'capture', site: 'chatgpt', answer: '軟件' }, CHATGPT_TAB)) as unknown as { report_id: string };
    expect((await db.get('reports', later.report_id))?.drive_id).toBeUndefined();
  });
});

describe('a manifest that changes after joining', () => {
  it('holds the drive’s reports until the member agrees again to a new name, endpoint or licence', async () => {
    const host = await driveHost({ requires_token: true });
    const { join, send, db } = await setup();
    await join(`${host.url}/v1/drives/tw-2026`, 'member-token');
    const report = makeReport({ drive_id: 'tw-2026', status: 'ready' });
    await send({ type: 'save-report', report });

    host.state.manifest = { ...host.state.manifest, license: 'CC-BY-NC-4.0', guidelines: 'New guidelines.' };
    const { review } = await send({ type: 'upload-review' });
    expect(review.groups[0]).toMatchObject({
      key: 'tw-2026',
      problem: 'The drive “Taiwan Mandarin 2026” changed its license since you joined. Nothing is sent until you agree to the change.',
      drive: { pending: { changes: ['license'], license: 'CC-BY-NC-4.0' }, license: 'CC-BY-4.0' },
    });
    expect(await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: false })).toMatchObject({ ok: false });
    expect(host.requests.filter((r) => r.url === '/v1/reports')).toEqual([]);

    expect(await send({ type: 'drive-reconsent', drive_id: 'tw-2026' })).toMatchObject({ ok: true, drive: { license: 'CC-BY-NC-4.0' } });
    const again = await send({ type: 'upload-review' });
    expect(again.review.groups[0]).toMatchObject({ consented: true, endpoint: host.url, drive: { license: 'CC-BY-NC-4.0' } });
    expect(again.review.groups[0].problem).toBeUndefined();
    expect(await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: false })).toMatchObject({ ok: true, queued: 1 });
    // Same origin: the token stays.
    expect(await readTokens(db)).toEqual({ [host.url]: { 'tw-2026': 'member-token' } });
  });

  it('drops the drive token when the changed manifest moves the endpoint to another origin', async () => {
    const host = await driveHost({ requires_token: true });
    const other = await driveHost();
    const { join, send, db } = await setup();
    await join(`${host.url}/v1/drives/tw-2026`, 'member-token');
    host.state.manifest = { ...host.state.manifest, endpoint: other.url, endpoint_cross_origin: true };
    const { review } = await send({ type: 'upload-review', report_ids: [] });
    expect(review.groups).toEqual([]);
    await send({ type: 'save-report', report: makeReport({ drive_id: 'tw-2026', status: 'ready' }) });
    const withReport = await send({ type: 'upload-review' });
    expect(withReport.review.groups[0].drive.pending).toMatchObject({ changes: ['endpoint'], endpoint: other.url });
    await send({ type: 'drive-reconsent', drive_id: 'tw-2026' });
    // The token was given for the old origin; it does not follow the drive to the new one.
    expect(await readTokens(db)).toEqual({});
    const after = await send({ type: 'upload-review' });
    expect(after.review.groups[0]).toMatchObject({ endpoint: other.url, problem: expect.stringMatching(/needs an access token from its organiser/) });
  });
});

describe('a drive whose receiver is down', () => {
  it('reviews with the manifest agreed to, says it could not be checked, and keeps the upload queued for a retry', async () => {
    const host = await driveHost();
    const { join, send, uploader } = await setup();
    await join(`${host.url}/v1/drives/tw-2026`);
    const report = makeReport({ drive_id: 'tw-2026', status: 'ready' });
    await send({ type: 'save-report', report });
    await host.close();

    const { review } = await send({ type: 'upload-review' });
    expect(review.groups[0]).toMatchObject({
      key: 'tw-2026',
      endpoint: host.url,
      consented: true,
      drive: { license: 'CC-BY-4.0', check_error: expect.stringMatching(/^Could not reach 127\.0\.0\.1:\d+/) },
    });
    expect(review.groups[0].problem).toBeUndefined();
    expect(await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: false })).toMatchObject({ ok: true, queued: 1 });
    await uploader.run();
    const { status } = await send({ type: 'upload-status' });
    expect(status).toMatchObject({ pending: 1, last_error: expect.stringMatching(/^Could not reach the endpoint/) });
    expect(status.next_attempt_at).toBeGreaterThan(Date.now() - 1_000);
    expect((await send({ type: 'get-report', id: report.id })).report.status).toBe('uploading');
  });
});

describe('an ended drive', () => {
  it('keeps its reports, sends nothing, and says why once the manifest’s end date has passed', async () => {
    const host = await driveHost();
    const { join, send } = await setup();
    await join(`${host.url}/v1/drives/tw-2026`);
    const report = makeReport({ drive_id: 'tw-2026', status: 'ready' });
    await send({ type: 'save-report', report });
    // Dates are not consent fields: the new end date applies as soon as it is read.
    host.state.manifest = { ...host.state.manifest, starts_at: '2025-01-01T00:00:00Z', ends_at: '2025-06-30T00:00:00Z' };
    const { review } = await send({ type: 'upload-review' });
    expect(review.groups[0]).toMatchObject({
      key: 'tw-2026',
      // The date as the review shows it: Intl's medium date in the UI language (English here).
      problem: `The drive “Taiwan Mandarin 2026” ended on ${new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date('2025-06-30T00:00:00Z'))} and takes no more reports. Move these reports to another drive or to none.`,
    });
    expect(await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: true })).toMatchObject({ ok: false });
    expect((await send({ type: 'get-report', id: report.id })).report.status).toBe('ready');
    expect(host.requests.filter((r) => r.url === '/v1/reports')).toEqual([]);
  });
});

describe('a revoked token', () => {
  it('tells the member, keeps the reports queued, and sends them once a new token is saved (reference receiver)', async () => {
    const receiver = await startReceiver({ env: { LOG: 'quiet' } });
    servers.push({ close: () => receiver.stop() });
    writeFileSync(joinPath(receiver.dataDir, 'drives', 'tw-2026.json'), JSON.stringify(manifestFor(receiver.url, { requires_token: true })));
    writeFileSync(joinPath(receiver.dataDir, 'drives', 'tw-2026.tokens'), 'current-token\n');
    const { join, send, uploader } = await setup();
    expect(await join(`${receiver.url}/v1/drives/tw-2026`, 'revoked-token')).toMatchObject({ ok: true });
    const report = makeReport({ drive_id: 'tw-2026', status: 'ready', expected_locale: 'zh-TW' });
    await send({ type: 'save-report', report });
    expect(await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: false })).toMatchObject({ ok: true, queued: 1 });
    await uploader.run();

    const { status } = await send({ type: 'upload-status' });
    expect(status).toMatchObject({ pending: 1, next_attempt_at: undefined });
    expect(status.held).toEqual([
      {
        endpoint: receiver.url,
        drive_id: 'tw-2026',
        reports: 1,
        reason: expect.stringMatching(
          /^The endpoint answered 401: the access token is missing, wrong or revoked .*Your reports stay queued; enter a new token in the options to send them\.$/,
        ),
      },
    ]);
    expect((await send({ type: 'get-report', id: report.id })).report.status).toBe('uploading');

    expect(await send({ type: 'drive-token', drive_id: 'tw-2026', token: 'current-token' })).toMatchObject({ ok: true, drive: { has_token: true } });
    await uploader.run();
    await expect.poll(async () => (await send({ type: 'get-report', id: report.id })).report.status).toBe('uploaded');
    expect((await send({ type: 'upload-status' })).status).toMatchObject({ pending: 0, held: [] });
  });
});

describe('drive progress', () => {
  it('fetches /v1/stats?drive= with the drive token, caches it, and counts the member’s own reports', async () => {
    const host = await driveHost({ requires_token: true, goal_reports: 500 });
    host.state.stats = {
      drive_id: 'tw-2026',
      reports: 42,
      highlights: 97,
      by_locale: { 'zh-TW': 42 },
      by_category: {},
      by_status: { accepted: 42, duplicate: 0, rejected: 0 },
    };
    const { join, send } = await setup();
    await join(`${host.url}/v1/drives/tw-2026`, 'member-token');
    await send({ type: 'save-report', report: makeReport({ drive_id: 'tw-2026', status: 'uploaded' }) });
    await send({ type: 'save-report', report: makeReport({ drive_id: 'tw-2026', status: 'draft' }) });
    await send({ type: 'save-report', report: makeReport({ status: 'uploaded' }) });
    const progress = await send({ type: 'drive-progress', drive_id: 'tw-2026' });
    expect(progress).toMatchObject({ ok: true, progress: { stats: { reports: 42, highlights: 97 } }, own: { reports: 2, uploaded: 1 } });
    expect(host.requests.find((r) => r.url === '/v1/stats?drive=tw-2026')?.headers.authorization).toBe('Bearer member-token');

    // The receiver down: the cached counts, and why they are not fresh.
    await host.close();
    const cached = await send({ type: 'drive-progress', drive_id: 'tw-2026' });
    expect(cached).toMatchObject({ ok: true, progress: { stats: { reports: 42 } }, error: expect.stringMatching(/^Could not reach 127\.0\.0\.1:\d+/) });
  });
});

describe('the contributor pseudonym (DESIGN §14)', () => {
  const uploadsTo = (host: { requests: RecordedRequest[] }) =>
    host.requests
      .filter((r) => r.method === 'POST' && r.url === '/v1/reports')
      .map((r) => JSON.parse(r.body) as { drive_id?: string; contributor?: string; reports: Array<{ id: string }> });

  it('makes a random one per drive on joining, keeps it on joining again, and makes a new one after leaving', async () => {
    const tw = await driveHost();
    const br = await driveHost({ id: 'br-2026', name: 'Português do Brasil', locales: ['pt-BR'] });
    const { join, send, db } = await setup();
    const first = (await join(`${tw.url}/v1/drives/tw-2026`)).drive.contributor as string;
    const other = (await join(`${br.url}/v1/drives/br-2026`)).drive.contributor as string;
    expect(first).toMatch(/^slc-[a-z2-7]{26}$/);
    expect(first).toMatch(CONTRIBUTOR_PATTERN);
    expect(other).toMatch(/^slc-[a-z2-7]{26}$/);
    expect(other).not.toBe(first);
    expect((await db.get('drives', 'tw-2026'))?.contributor).toBe(first);

    expect((await join(`${tw.url}/v1/drives/tw-2026`)).drive.contributor).toBe(first);
    expect((await send({ type: 'drive-list' })).drives.find((d: { id: string }) => d.id === 'tw-2026').contributor).toBe(first);

    await send({ type: 'drive-leave', drive_id: 'tw-2026' });
    const again = (await join(`${tw.url}/v1/drives/tw-2026`)).drive.contributor as string;
    expect(again).toMatch(/^slc-[a-z2-7]{26}$/);
    expect(again).not.toBe(first);
  });

  it('gives a drive joined before pseudonyms existed one the first time it is read, and keeps it', async () => {
    const host = await driveHost();
    const { join, send, db } = await setup();
    await join(`${host.url}/v1/drives/tw-2026`);
    const { contributor: _none, ...older } = (await db.get('drives', 'tw-2026'))!;
    await db.put('drives', older);

    const listed = (await send({ type: 'drive-list' })).drives[0].contributor as string;
    expect(listed).toMatch(/^slc-[a-z2-7]{26}$/);
    expect((await db.get('drives', 'tw-2026'))?.contributor).toBe(listed);
    // A manifest check and the upload review read it again: still the same one.
    const { review } = await send({ type: 'upload-review' });
    expect(review.groups).toEqual([]);
    await send({ type: 'drive-progress', drive_id: 'tw-2026' });
    expect((await send({ type: 'drive-list' })).drives[0].contributor).toBe(listed);
  });

  it('sends each drive’s own pseudonym with its batches only, and none with reports of no drive', async () => {
    const tw = await driveHost();
    const br = await driveHost({ id: 'br-2026', name: 'Português do Brasil', locales: ['pt-BR'] });
    const plain = await driveHost({ id: 'unused' });
    const { join, send, uploader } = await setup();
    const twName = (await join(`${tw.url}/v1/drives/tw-2026`)).drive.contributor as string;
    const brName = (await join(`${br.url}/v1/drives/br-2026`)).drive.contributor as string;
    await send({ type: 'set-settings', settings: { endpoint: plain.url } });
    const reports = [
      makeReport({ drive_id: 'tw-2026', status: 'ready', expected_locale: 'zh-TW' }),
      makeReport({ drive_id: 'br-2026', status: 'ready', expected_locale: 'pt-BR' }),
      makeReport({ status: 'ready' }),
    ];
    for (const report of reports) await send({ type: 'save-report', report });

    const { review } = await send({ type: 'upload-review' });
    const shown = Object.fromEntries(review.groups.map((g: { key: string; drive?: { contributor?: string } }) => [g.key, g.drive?.contributor]));
    expect(shown).toEqual({ '': undefined, 'br-2026': brName, 'tw-2026': twName });

    expect(await send({ type: 'start-upload', report_ids: reports.map((r) => r.id), undone: [], consent: true })).toMatchObject({ ok: true, queued: 3 });
    await uploader.run();
    await expect.poll(async () => (await send({ type: 'get-report', id: reports[2]!.id })).report.status).toBe('uploaded');

    expect(uploadsTo(tw)).toEqual([
      expect.objectContaining({ drive_id: 'tw-2026', contributor: twName, reports: [expect.objectContaining({ id: reports[0]!.id })] }),
    ]);
    expect(uploadsTo(br)).toEqual([
      expect.objectContaining({ drive_id: 'br-2026', contributor: brName, reports: [expect.objectContaining({ id: reports[1]!.id })] }),
    ]);
    const [none] = uploadsTo(plain);
    expect(none?.reports.map((r) => r.id)).toEqual([reports[2]!.id]);
    expect(none).not.toHaveProperty('drive_id');
    expect(none).not.toHaveProperty('contributor');
  });

  it('keeps the member’s own reports from them on the reference receiver’s review, and shows them to another reviewer', async () => {
    const receiver = await startReceiver({ env: { LOG: 'quiet' } });
    servers.push({ close: () => receiver.stop() });
    writeFileSync(joinPath(receiver.dataDir, 'drives', 'tw-2026.json'), JSON.stringify(manifestFor(receiver.url)));
    const { join, send, uploader } = await setup();
    const pseudonym = (await join(`${receiver.url}/v1/drives/tw-2026`)).drive.contributor as string;
    const report = makeReport({ drive_id: 'tw-2026', status: 'ready', expected_locale: 'zh-TW' });
    await send({ type: 'save-report', report });
    expect(await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: false })).toMatchObject({ ok: true, queued: 1 });
    await uploader.run();
    await expect.poll(async () => (await send({ type: 'get-report', id: report.id })).report.status).toBe('uploaded');

    const reviewerToken = async () => {
      const made = await runDriveCli(['reviewer-token', 'tw-2026', '--json'], receiver.dataDir);
      expect(made.code, made.stderr).toBe(0);
      return (JSON.parse(made.stdout) as { reviewer_token: string }).reviewer_token;
    };
    const next = (token: string, contributor?: string) =>
      fetch(`${receiver.url}/v1/review/next?drive=tw-2026${contributor ? `&contributor=${contributor}` : ''}`, {
        headers: { Authorization: `Bearer ${token}` },
      });

    // The member reviewing with the id the extension shows them: nothing of theirs, now or later.
    const member = await reviewerToken();
    expect((await next(member, pseudonym)).status).toBe(204);
    expect((await next(member)).status).toBe(204);

    // Another reviewer, with another drive's pseudonym of their own, gets the report, without the uploader's pseudonym.
    const other = await reviewerToken();
    const answer = await next(other, 'slc-someoneelseentirely0000');
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect((JSON.parse(text) as { report: { id: string } }).report.id).toBe(report.id);
    expect(text).not.toContain(pseudonym);
  });
});
