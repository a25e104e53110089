// @vitest-environment node
// The extension's upload engine (lib/upload, fake-indexeddb outbox) against the real
// reference receiver process (server/) on 127.0.0.1.
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL, StatsResponse } from '../../lib/protocol';
import { openSoundsLocalDb } from '../../lib/storage/db';
import { getReport } from '../../lib/storage/reports';
import {
  createIdbCredentials,
  createIdbOutboxStore,
  drainOutbox,
  enqueueReady,
  runOutbox,
  setToken,
  type UploadBatch,
  type UploadDeps,
} from '../../lib/upload';
import type { SoundsLocalDb } from '../../lib/storage/db';
import { startReceiver, type ReceiverProcess } from '../../server/testing';
import { SAMPLE_CLIENT, sampleUploaded } from '../helpers/sample-reports';
import { freshDb, outbox, saveReady, statuses } from '../helpers/upload';

let receiver: ReceiverProcess;

beforeAll(async () => {
  receiver = await startReceiver({
    drives: { 'tw-2026': { manifest: { id: 'tw-2026', name: 'TW', locales: ['zh-TW'], license: 'CC0-1.0', requires_token: true }, tokens: ['right-token'] } },
  });
});
afterAll(() => receiver?.stop());

/** Each test uses its own id range so the shared receiver's dedupe doesn't couple them. */
let range = 0;
const nextRange = () => (range += 10_000);

function deps(db: SoundsLocalDb, extra: Partial<UploadDeps> = {}): UploadDeps {
  return {
    store: createIdbOutboxStore(db),
    credentials: createIdbCredentials(db),
    fetch,
    config: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 5_000 },
    ...extra,
  };
}

function storedIds(): Set<string> {
  const db = new DatabaseSync(receiver.dbPath, { readOnly: true });
  const ids = (db.prepare('SELECT id FROM reports').all() as Array<{ id: string }>).map((r) => r.id);
  db.close();
  return new Set(ids);
}

describe('upload engine → reference receiver', () => {
  it('uploads 250 ready reports in three batches and the receiver holds each once', async () => {
    const { db } = await freshDb();
    const reports = await saveReady(db, 250, nextRange());
    await enqueueReady(db, { endpoint: receiver.url, client: SAMPLE_CLIENT });
    const run = await runOutbox(deps(db));
    expect(run).toMatchObject({ uploaded: 250, failed: 0, requests: 3, nextAttemptAt: undefined });
    expect(await statuses(db)).toEqual({ uploaded: 250 });
    const held = storedIds();
    for (const r of reports) expect(held.has(r.id)).toBe(true);
  });

  it('counts reports the receiver already had (another device, an earlier run) as uploaded', async () => {
    const { db } = await freshDb();
    const first = nextRange();
    const reports = await saveReady(db, 4, first);
    // Two of them reached the receiver before, outside this outbox.
    await fetch(`${receiver.url}/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: [sampleUploaded(first), sampleUploaded(first + 1)] }),
    });
    await enqueueReady(db, { endpoint: receiver.url, client: SAMPLE_CLIENT });
    expect(await runOutbox(deps(db))).toMatchObject({ uploaded: 4 });
    expect((await getReport(db, reports[0]!.id))!.status).toBe('uploaded');
  });

  it('marks a report the receiver rejects failed with its reason, and uploads the rest', async () => {
    const { db } = await freshDb();
    const reports = await saveReady(db, 3, nextRange());
    await enqueueReady(db, { endpoint: receiver.url, client: SAMPLE_CLIENT });
    // A report that an older or tampered client let through: the receiver has the last word.
    const [batch] = await outbox(db);
    const tampered: UploadBatch = { ...batch!, payload: batch!.payload.map((p, i) => (i === 1 ? { ...p, answer: '', highlights: [] } : p)) };
    await db.put('outbox', tampered);
    await runOutbox(deps(db));
    const failed = await getReport(db, reports[1]!.id);
    expect(failed!.status).toBe('failed');
    expect(failed!.status_reason).toBe('The endpoint rejected this report: answer: must not be empty');
    expect(await statuses(db)).toEqual({ uploaded: 2, failed: 1 });
  });

  it('keeps a drive upload queued when the token is refused (401), and sends it once the right token is set', async () => {
    const { db } = await freshDb();
    const first = nextRange();
    await saveReady(db, 2, first, { drive_id: 'tw-2026' });
    await setToken(db, receiver.url, 'tw-2026', 'wrong');
    await enqueueReady(db, { endpoint: receiver.url, client: SAMPLE_CLIENT, driveId: 'tw-2026' });
    const wrong = await runOutbox(deps(db));
    expect(wrong).toMatchObject({ failed: 0, held: 1, requests: 1 });
    expect(wrong.lastError).toBe(
      'The endpoint answered 401: the access token is missing, wrong or revoked (“The access token is not valid for drive "tw-2026".”). Your reports stay queued; enter a new token in the options to send them.',
    );
    expect(await statuses(db)).toEqual({ uploading: 2 });

    await setToken(db, receiver.url, 'tw-2026', 'right-token');
    const store = createIdbOutboxStore(db);
    expect(await store.dueNow(Date.now())).toBe(1);
    expect(await runOutbox(deps(db))).toMatchObject({ uploaded: 2 });
    const stats = StatsResponse.parse(
      await (await fetch(`${receiver.url}/v1/stats?drive=tw-2026`, { headers: { Authorization: 'Bearer right-token' } })).json(),
    );
    expect(stats.reports).toBe(2);
  });

  it('never double-stores a batch whose answer was lost when the worker died, and marks it uploaded on restart', async () => {
    const { db, name } = await freshDb();
    const reports = await saveReady(db, 30, nextRange());
    await enqueueReady(db, { endpoint: receiver.url, client: SAMPLE_CLIENT, limits: { maxReports: 10 } });
    const before = StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats`)).json()).reports;

    // The second batch reaches the receiver and is stored, then the service worker dies
    // before the answer is written to IndexedDB.
    let calls = 0;
    const dying: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (++calls === 2) {
        await response.text();
        db.close();
        throw new Error('service worker stopped');
      }
      return response;
    };
    await expect(runOutbox(deps(db, { fetch: dying }))).rejects.toThrow();

    const reopened = await openSoundsLocalDb(name);
    expect(await statuses(reopened)).toEqual({ uploaded: 10, uploading: 20 });
    const run = await drainOutbox(deps(reopened));
    expect(run.uploaded).toBe(20);
    expect(await statuses(reopened)).toEqual({ uploaded: 30 });
    const after = StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats`)).json()).reports;
    expect(after - before).toBe(30);
    const held = storedIds();
    for (const r of reports) expect(held.has(r.id)).toBe(true);
    // The resend was recognised as the same batch, not merely deduplicated report by report.
    expect(receiver.output()).toMatch(/accepted=10 duplicate=0 rejected=0 replayed/);
  });
});
