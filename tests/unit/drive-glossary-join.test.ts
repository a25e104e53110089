// @vitest-environment node
// A drive's own glossary (DESIGN §13) on the member's side: fetched by the background from
// the manifest's glossary_url when joining and when refreshing, from a real local HTTP
// server; a glossary that is too large or not valid is a readable glossary_error on the
// drive, and the drive is joined all the same.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { openSoundsLocalDb } from '../../lib/storage/db';
import { createBackground } from '../../lib/background/service';
import { createDrives } from '../../lib/background/drives';
import { EXTENSION_ID, EXTENSION_ORIGIN, POPUP } from '../helpers/background';
import { scriptedServer, type RecordedRequest } from '../helpers/upload';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const CSV = 'term,suggestion,category,note\r\ndish cloth,tea towel,regional_vocabulary,What people in Leeds say\r\n"lift, the",the lift,other,\r\n';

/** Serves the drive's manifest at /v1/drives/uk-2026 and its glossary at /glossary.csv; both can change. */
async function driveHost() {
  const state = {
    glossary: { body: CSV, type: 'text/csv' } as { body: string; type: string; status?: number },
    manifest: {} as Record<string, unknown>,
  };
  const server = await scriptedServer((req: RecordedRequest, res: ServerResponse) => {
    if (req.url === '/v1/drives/uk-2026') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(state.manifest));
    if (req.url === '/glossary.csv') return void res.writeHead(state.glossary.status ?? 200, { 'Content-Type': state.glossary.type }).end(state.glossary.body);
    res.writeHead(404).end();
  });
  servers.push(server);
  state.manifest = {
    id: 'uk-2026',
    name: 'Yorkshire English 2026',
    organizer: 'Leeds Language Club',
    description: 'Where chatbot answers sound American.',
    locales: ['en-GB'],
    endpoint: server.url,
    guidelines: { en: 'Mark American words.' },
    license: 'CC-BY-4.0',
    privacy_url: 'https://example.org/privacy',
    requires_token: false,
    glossary_url: `${server.url}/glossary.csv`,
  };
  return { ...server, state };
}

let n = 0;
async function setup() {
  const db = await openSoundsLocalDb(`drive-glossary-${++n}-${Math.random()}`);
  const client = { name: 'sounds-local', version: '0.1.0', browser: 'chrome' } as const;
  const drives = createDrives({ db, fetch, uiLanguages: () => ['en-GB'], timeoutMs: 3_000 });
  const background = createBackground({ db, drives, client, extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN, uiLanguages: () => ['en-GB'] });
  const send = (m: unknown) => background.handle(m, POPUP) as Promise<any>;
  const join = async (input: string) => {
    const looked = await send({ type: 'drive-preview', input });
    if (!looked.ok) return looked;
    return send({ type: 'drive-join', manifest_url: looked.preview.manifest_url, manifest: looked.preview.manifest });
  };
  return { db, send, join };
}

describe('a drive’s glossary', () => {
  it('is fetched on join from the manifest’s glossary_url and stored, validated, with the drive', async () => {
    const host = await driveHost();
    const { join, send, db } = await setup();
    const joined = await join(`${host.url}/v1/drives/uk-2026`);
    expect(joined).toMatchObject({ ok: true, drive: { id: 'uk-2026', glossary_entries: 2 } });
    expect(joined.drive).not.toHaveProperty('glossary_error');
    expect(host.requests.map((r) => r.url)).toEqual(['/v1/drives/uk-2026', '/glossary.csv']);
    expect((await db.get('drives', 'uk-2026'))?.glossary?.entries).toEqual([
      { term: 'dish cloth', suggestion: 'tea towel', category: 'regional_vocabulary', note: 'What people in Leeds say' },
      { term: 'lift, the', suggestion: 'the lift', category: 'other' },
    ]);
    expect(await send({ type: 'drive-glossary', drive_id: 'uk-2026' })).toEqual({
      ok: true,
      locales: ['en-GB'],
      entries: [
        { term: 'dish cloth', suggestion: 'tea towel', category: 'regional_vocabulary', note: 'What people in Leeds say' },
        { term: 'lift, the', suggestion: 'the lift', category: 'other' },
      ],
    });
  });

  it('joins a drive whose glossary is larger than 1 MB, with the reason as glossary_error and no entries', async () => {
    const host = await driveHost();
    host.state.glossary.body = 'term,suggestion,category\n' + 'sidewalk,pavement,regional_vocabulary\n'.repeat(30_000);
    const { join, send, db } = await setup();
    const joined = await join(`${host.url}/v1/drives/uk-2026`);
    expect(joined).toMatchObject({
      ok: true,
      drive: { id: 'uk-2026', glossary_error: 'The drive’s glossary could not be used: The glossary is larger than 1 MB.' },
    });
    expect(joined.drive).not.toHaveProperty('glossary_entries');
    expect(await db.get('drives', 'uk-2026')).not.toHaveProperty('glossary');
    expect(await send({ type: 'drive-glossary', drive_id: 'uk-2026' })).toEqual({
      ok: true,
      locales: ['en-GB'],
      error: 'The drive’s glossary could not be used: The glossary is larger than 1 MB.',
    });
  });

  it('joins a drive whose glossary is not valid, and says what to fix', async () => {
    const host = await driveHost();
    host.state.glossary.body = 'word,meaning\nsidewalk,pavement\n';
    const { join } = await setup();
    const joined = await join(`${host.url}/v1/drives/uk-2026`);
    expect(joined.ok).toBe(true);
    expect(joined.drive.glossary_error).toMatch(
      /^The drive’s glossary could not be used: The CSV glossary needs a header row with the columns term, suggestion, category/,
    );
  });

  it('keeps the good lines of a glossary with a bad one and names the bad line', async () => {
    const host = await driveHost();
    host.state.glossary.body = 'term,suggestion,category\nsidewalk,pavement,regional_vocabulary\nfall,autumn,seasons\n';
    const { join } = await setup();
    const joined = await join(`${host.url}/v1/drives/uk-2026`);
    expect(joined.drive.glossary_entries).toBe(1);
    expect(joined.drive.glossary_error).toMatch(/^1 line of the drive’s glossary could not be read: line 3: .*category must be one of/);
  });

  it('joins a drive whose glossary server answers 500, with that as glossary_error', async () => {
    const host = await driveHost();
    host.state.glossary.status = 500;
    const { join } = await setup();
    const joined = await join(`${host.url}/v1/drives/uk-2026`);
    expect(joined).toMatchObject({ ok: true, drive: { glossary_error: expect.stringMatching(/answered 500/) } });
  });

  it('is fetched again on refresh; a refresh that fails keeps the entries it had and notes why', async () => {
    const host = await driveHost();
    const { join, send } = await setup();
    await join(`${host.url}/v1/drives/uk-2026`);
    host.state.glossary.body = 'term,suggestion,category\nsidewalk,pavement,regional_vocabulary\n';
    const refreshed = await send({ type: 'drive-refresh', drive_id: 'uk-2026' });
    expect(refreshed).toMatchObject({ ok: true, drive: { glossary_entries: 1 } });
    expect((await send({ type: 'drive-glossary', drive_id: 'uk-2026' })).entries).toEqual([
      { term: 'sidewalk', suggestion: 'pavement', category: 'regional_vocabulary' },
    ]);
    host.state.glossary.status = 503;
    const failed = await send({ type: 'drive-refresh', drive_id: 'uk-2026' });
    expect(failed).toMatchObject({ ok: true, drive: { glossary_entries: 1, glossary_error: expect.stringMatching(/answered 503/) } });
    expect((await send({ type: 'drive-glossary', drive_id: 'uk-2026' })).entries).toHaveLength(1);
  });

  it('refuses the glossary of a drive the member is not in', async () => {
    const { send } = await setup();
    expect(await send({ type: 'drive-glossary', drive_id: 'nope' })).toEqual({ ok: false, error: 'You are not in this drive.' });
  });
});
