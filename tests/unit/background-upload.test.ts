// @vitest-environment node
// Uploading through the background's messages, to the real reference receiver process.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { openSoundsLocalDb } from '../../lib/storage/db';
import { createBackground } from '../../lib/background/service';
import { createUploader } from '../../lib/background/uploads';
import { startReceiver, type ReceiverProcess } from '../../server/testing';
import { EXTENSION_ID, EXTENSION_ORIGIN, POPUP } from '../helpers/background';
import { makeReport, markPhrase } from '../helpers/reports';

let receiver: ReceiverProcess;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver?.stop());

let n = 0;
async function setup() {
  const db = await openSoundsLocalDb(`bg-upload-${++n}-${Math.random()}`);
  const wakes: (number | undefined)[] = [];
  /** How often the uploader asked for the badge to be recounted. */
  const changes = { count: 0 };
  const client = { name: 'sounds-local', version: '0.1.0', browser: 'chrome' } as const;
  const uploader = createUploader({
    db,
    client,
    fetch,
    scheduleWake: (w) => wakes.push(w),
    onChange: () => changes.count++,
    config: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 5_000 },
  });
  const background = createBackground({
    db,
    uploader,
    client,
    extensionId: EXTENSION_ID,
    extensionOrigin: EXTENSION_ORIGIN,
    uiLanguages: () => ['en-GB'],
  });
  const send = (m: unknown) => background.handle(m, POPUP) as Promise<any>;
  return { db, uploader, send, wakes, changes };
}

describe('uploading from the popup', () => {
  it('refuses endpoints that are not https (except localhost), with a readable reason', async () => {
    const { send } = await setup();
    expect(await send({ type: 'set-settings', settings: { endpoint: 'http://example.org/api' } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/only sent over https/),
    });
    expect(await send({ type: 'set-settings', settings: { endpoint: 'not a url' } })).toMatchObject({ ok: false });
    expect(await send({ type: 'set-settings', settings: { endpoint: `${receiver.url}/` } })).toMatchObject({ ok: true, settings: { endpoint: receiver.url } });
  });

  it('shows exactly what will be sent: no local fields, prompt only by opt-in, redactions applied and undoable', async () => {
    const { send } = await setup();
    await send({ type: 'set-settings', settings: { endpoint: receiver.url } });
    const report = makeReport({
      status: 'ready',
      answer: 'Write to ana.silva@example.com.br or call +55 11 91234-5678 about the autocarro.',
      expected_locale: 'pt-BR',
      prompt: 'my question',
      include_prompt: false,
      page_url: 'https://chatgpt.com/c/x',
    });
    report.highlights = [markPhrase(report.answer, 'autocarro', 'ônibus')];
    await send({ type: 'save-report', report });
    const { review } = await send({ type: 'upload-review' });
    expect(review).toMatchObject({ total_ready: 1, shown: 1 });
    expect(review.groups).toHaveLength(1);
    expect(review.groups[0]).toMatchObject({ key: '', endpoint: receiver.url, consented: false, permission_pattern: 'http://127.0.0.1/*' });
    const [item] = review.groups[0].reports;
    expect(item.outgoing).not.toHaveProperty('page_url');
    expect(item.outgoing).not.toHaveProperty('prompt');
    expect(item.outgoing.answer).toBe('Write to [EMAIL] or call [PHONE] about the autocarro.');
    const mark = item.outgoing.highlights[0];
    expect(item.outgoing.answer.slice(mark.start, mark.end)).toBe('autocarro');
    expect(item.redactions.map((r: any) => r.kind)).toEqual(['email', 'phone']);
  });

  it('needs consent once, then uploads the reviewed reports with the undone redaction kept', async () => {
    const { send, uploader, db } = await setup();
    await send({ type: 'set-settings', settings: { endpoint: receiver.url } });
    const report = makeReport({ status: 'ready', answer: 'Mail support@example.org: the colour is grey.', expected_locale: 'en-US' });
    await send({ type: 'save-report', report });
    const { review } = await send({ type: 'upload-review', report_ids: [report.id] });
    const emailRedaction = review.groups[0].reports[0].redactions[0].id;
    expect(await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: false })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Agree to send your reports to http:\/\/127\.0\.0\.1:\d+ first\.$/),
    });
    const started = await send({ type: 'start-upload', report_ids: [report.id], undone: [`${report.id}/${emailRedaction}`], consent: true });
    expect(started).toMatchObject({ ok: true, queued: 1 });
    await uploader.run();
    expect((await send({ type: 'get-report', id: report.id })).report.status).toBe('uploaded');
    await send({ type: 'save-report', report: makeReport({ status: 'ready' }) });
    expect((await send({ type: 'upload-review' })).review.groups[0].consented).toBe(true);
    // The receiver holds the report as reviewed: the user chose to keep the e-mail address.
    const sqlite = new DatabaseSync(receiver.dbPath, { readOnly: true });
    const row = sqlite.prepare('SELECT body FROM reports WHERE id = ?').get(report.id) as { body: string } | undefined;
    sqlite.close();
    expect(JSON.parse(row!.body)).toMatchObject({ id: report.id, answer: 'Mail support@example.org: the colour is grey.' });
    expect(JSON.parse(row!.body)).not.toHaveProperty('status');
    const stored = await db.get('reports', report.id);
    expect(stored?.status).toBe('uploaded');
    const status = (await send({ type: 'upload-status' })).status;
    expect(status).toMatchObject({ running: false, pending: 0, last_result: { uploaded: 1, failed: 0 } });
  });

  it('keeps reports queued and schedules a retry when the endpoint is down', async () => {
    const { send, uploader, wakes } = await setup();
    await send({ type: 'set-settings', settings: { endpoint: 'http://127.0.0.1:9' } });
    const report = makeReport({ status: 'ready' });
    await send({ type: 'save-report', report });
    await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: true });
    await uploader.run();
    expect((await send({ type: 'get-report', id: report.id })).report.status).toBe('uploading');
    const status = (await send({ type: 'upload-status' })).status;
    expect(status.pending).toBe(1);
    expect(status.last_error).toMatch(/.+/);
    expect(wakes.at(-1)).toBeGreaterThan(Date.now() - 1000);
  });

  it('asks for no badge recount when a run finds nothing to send (each service-worker start runs once), and for one when reports settle', async () => {
    const { send, uploader, changes } = await setup();
    await send({ type: 'set-settings', settings: { endpoint: receiver.url } });
    const report = makeReport({ status: 'ready', answer: 'The colour is grey.', expected_locale: 'en-US' });
    await send({ type: 'save-report', report });
    await uploader.run();
    expect(changes.count).toBe(0);
    await send({ type: 'start-upload', report_ids: [report.id], undone: [], consent: true });
    const queued = changes.count;
    expect(queued).toBeGreaterThan(0);
    await uploader.run();
    expect((await send({ type: 'get-report', id: report.id })).report.status).toBe('uploaded');
    expect(changes.count).toBeGreaterThan(queued);
  });
});
