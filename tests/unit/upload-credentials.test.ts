// @vitest-environment node
// DESIGN §9c: a token is stored with the one endpoint origin it was issued for and is only
// ever sent there. The engine looks tokens (and owner keys) up by the origin of the request
// it is about to make, so these tests change endpoints every way a user can and watch what
// real local servers receive.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackground } from '../../lib/background/service';
import { createUploader } from '../../lib/background/uploads';
import { createIdbCredentials, createIdbOutboxStore, enqueueReady, readTokens, runOutbox, setToken, tokenForRequest } from '../../lib/upload';
import { SAMPLE_CLIENT } from '../helpers/sample-reports';
import { EXTENSION_ID, EXTENSION_ORIGIN, POPUP } from '../helpers/background';
import { acceptAll, freshDb, saveReady, scriptedServer } from '../helpers/upload';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server() {
  const s = await scriptedServer(acceptAll);
  servers.push(s);
  return s;
}

describe('the token table', () => {
  const table = { 'https://a.example.org': { '': 'endpoint-token', 'tw-2026': 'drive-token' } };

  it('finds a token only under the origin of the request URL', () => {
    expect(tokenForRequest(table, 'https://a.example.org/sl/v1/reports', undefined)).toBe('endpoint-token');
    expect(tokenForRequest(table, 'https://a.example.org:8443/v1/reports', undefined)).toBeUndefined();
    expect(tokenForRequest(table, 'http://a.example.org/v1/reports', undefined)).toBeUndefined();
    expect(tokenForRequest(table, 'https://b.example.org/v1/reports', undefined)).toBeUndefined();
    expect(tokenForRequest(table, 'https://a.example.org.evil.example/v1/reports', undefined)).toBeUndefined();
    expect(tokenForRequest(table, 'not a url', undefined)).toBeUndefined();
  });

  it('keeps a drive’s token apart from the endpoint’s own on the same origin', () => {
    expect(tokenForRequest(table, 'https://a.example.org/v1/reports', 'tw-2026')).toBe('drive-token');
    expect(tokenForRequest(table, 'https://a.example.org/v1/reports', 'other-drive')).toBeUndefined();
  });
});

describe('sending', () => {
  it('never sends the old endpoint’s token to a newly set endpoint', async () => {
    const oldSite = await server();
    const newSite = await server();
    const { db } = await freshDb();
    const uploader = createUploader({ db, client: SAMPLE_CLIENT, fetch, scheduleWake: () => {} });
    const background = createBackground({
      db,
      uploader,
      client: SAMPLE_CLIENT,
      extensionId: EXTENSION_ID,
      extensionOrigin: EXTENSION_ORIGIN,
      uiLanguages: () => ['en-GB'],
    });
    const send = (m: unknown) => background.handle(m, POPUP) as Promise<any>;

    expect(await send({ type: 'set-settings', settings: { endpoint: oldSite.url, token: 'old-site-token' } })).toMatchObject({ ok: true });
    expect(await readTokens(db)).toEqual({ [oldSite.url]: { '': 'old-site-token' } });
    // The user points uploads elsewhere without touching the token field.
    expect(await send({ type: 'set-settings', settings: { endpoint: newSite.url } })).toMatchObject({ ok: true });
    expect(await readTokens(db)).toEqual({});

    const reports = await saveReady(db, 2);
    expect(await send({ type: 'start-upload', report_ids: reports.map((r) => r.id), undone: [], consent: true })).toMatchObject({ ok: true, queued: 2 });
    await uploader.run();
    expect(newSite.requests).toHaveLength(1);
    expect(newSite.requests[0]!.headers.authorization).toBeUndefined();
    expect(oldSite.requests).toEqual([]);
  });

  it('sends a token only to its own origin even when a queued batch names another endpoint', async () => {
    const tokenSite = await server();
    const otherSite = await server();
    const { db } = await freshDb();
    await setToken(db, tokenSite.url, undefined, 'site-token');
    await saveReady(db, 1, 0);
    await enqueueReady(db, { endpoint: otherSite.url, client: SAMPLE_CLIENT });
    await saveReady(db, 1, 1);
    await enqueueReady(db, { endpoint: tokenSite.url, client: SAMPLE_CLIENT });
    await runOutbox({ store: createIdbOutboxStore(db), credentials: createIdbCredentials(db), fetch });
    expect(otherSite.requests.map((r) => r.headers.authorization)).toEqual([undefined]);
    expect(tokenSite.requests.map((r) => r.headers.authorization)).toEqual(['Bearer site-token']);
  });

  it('sends a drive’s token with that drive’s batches only, not with other reports to the same site', async () => {
    const site = await server();
    const { db } = await freshDb();
    await setToken(db, site.url, 'tw-2026', 'drive-token');
    await saveReady(db, 1, 0, { drive_id: 'tw-2026' });
    await saveReady(db, 1, 1);
    await enqueueReady(db, { endpoint: site.url, client: SAMPLE_CLIENT, driveId: 'tw-2026' });
    await enqueueReady(db, { endpoint: site.url, client: SAMPLE_CLIENT });
    await runOutbox({ store: createIdbOutboxStore(db), credentials: createIdbCredentials(db), fetch });
    const byDrive = new Map(site.requests.map((r) => [JSON.parse(r.body).drive_id ?? '', r.headers.authorization]));
    expect(byDrive).toEqual(
      new Map([
        ['tw-2026', 'Bearer drive-token'],
        ['', undefined],
      ]),
    );
  });

  it('gives a report’s owner key only for requests to the origin its receipt names', async () => {
    const site = await server();
    const { db } = await freshDb();
    const [report] = await saveReady(db, 1);
    await enqueueReady(db, { endpoint: site.url, client: SAMPLE_CLIENT });
    const credentials = createIdbCredentials(db);
    const receipt = await db.get('receipts', report!.id);
    expect(receipt?.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(await credentials.ownerKey(report!.id, `${site.url}/v1/reports/${report!.id}`)).toBe(receipt!.secret);
    expect(await credentials.ownerKey(report!.id, `https://elsewhere.example.org/v1/reports/${report!.id}`)).toBeUndefined();
    // What leaves is the hash, never the secret.
    await runOutbox({ store: createIdbOutboxStore(db), credentials, fetch });
    expect(site.requests[0]!.body).toContain(receipt!.owner_key_hash);
    expect(site.requests[0]!.body).not.toContain(receipt!.secret);
  });
});
