// @vitest-environment node
// The upload engine against a tiny scripted HTTP server: every answer class of DESIGN.md §8,
// including the ones the reference receiver never gives.
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL } from '../../lib/protocol';
import type { SoundsLocalDb } from '../../lib/storage/db';
import { getReport } from '../../lib/storage/reports';
import {
  HELD_AT,
  createIdbCredentials,
  createIdbOutboxStore,
  enqueueReady,
  setToken,
  nextWakeTime,
  requestBody,
  runOutbox,
  type UploadConfig,
  type UploadDeps,
  type UploadProgress,
} from '../../lib/upload';
import { SAMPLE_CLIENT } from '../helpers/sample-reports';
import { acceptAll, freshDb, outbox, reply, saveReady, scriptedServer, statuses, type Responder } from '../helpers/upload';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
let clock = T0;
const servers: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  clock = T0;
});

async function setup(script: Responder[], options: { reports?: number; token?: string; config?: Partial<UploadConfig>; maxReports?: number } = {}) {
  const server = await scriptedServer(...script);
  servers.push(server);
  const { db } = await freshDb();
  const reports = await saveReady(db, options.reports ?? 3);
  if (options.token) await setToken(db, server.url, undefined, options.token);
  const queued = await enqueueReady(db, {
    endpoint: server.url,
    client: SAMPLE_CLIENT,
    now: () => clock,
    limits: { maxReports: options.maxReports },
  });
  if (!queued.ok) throw new Error(queued.error);
  const progress: UploadProgress[] = [];
  const deps: UploadDeps = {
    store: createIdbOutboxStore(db),
    credentials: createIdbCredentials(db),
    fetch,
    now: () => clock,
    random: () => 0.5,
    config: { baseDelayMs: 1_000, maxDelayMs: 60_000, timeoutMs: 400, ...options.config },
    onProgress: (p) => progress.push(p),
  };
  return { server, db, reports, deps, progress, batchIds: queued.batchIds };
}

async function reasons(db: SoundsLocalDb) {
  return [...new Set((await db.getAll('reports')).map((r) => r.status_reason))];
}

describe('sending', () => {
  it('POSTs the batch to /v1/reports with its Idempotency-Key and the bearer token', async () => {
    const { server, deps, batchIds, reports } = await setup([acceptAll], { token: 'drive-token' });
    await runOutbox(deps);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v1/reports');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['idempotency-key']).toBe(batchIds[0]);
    expect(request!.headers.authorization).toBe('Bearer drive-token');
    const body = JSON.parse(request!.body);
    expect(body.protocol).toBe(PROTOCOL);
    expect(body.client).toEqual(SAMPLE_CLIENT);
    expect(body.reports.map((r: { id: string }) => r.id)).toEqual(reports.map((r) => r.id));
    // Local fields never travel.
    for (const r of body.reports) expect(Object.keys(r)).not.toEqual(expect.arrayContaining(['status', 'page_url', 'include_prompt']));
  });

  it('sends no Authorization header when no token is set', async () => {
    const { server, deps } = await setup([acceptAll]);
    await runOutbox(deps);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('marks accepted and duplicate reports uploaded and empties the outbox', async () => {
    const { db, deps, reports } = await setup([
      (req, res) => {
        const ids = (JSON.parse(req.body) as { reports: Array<{ id: string }> }).reports.map((r) => r.id);
        reply(200, {
          results: [
            { id: ids[0], status: 'accepted' },
            { id: ids[1], status: 'duplicate' },
            { id: ids[2], status: 'accepted' },
          ],
        })(req, res);
      },
    ]);
    const run = await runOutbox(deps);
    expect(run).toMatchObject({ uploaded: 3, failed: 0, requests: 1, nextAttemptAt: undefined });
    expect(await statuses(db)).toEqual({ uploaded: 3 });
    expect(await outbox(db)).toEqual([]);
    expect((await getReport(db, reports[1]!.id))!.status_reason).toBeUndefined();
  });

  it("marks a rejected report failed with the server's reason and the others uploaded", async () => {
    const { db, deps, reports } = await setup([
      (req, res) => {
        const ids = (JSON.parse(req.body) as { reports: Array<{ id: string }> }).reports.map((r) => r.id);
        reply(200, { results: ids.map((id, i) => (i === 1 ? { id, status: 'rejected', reason: 'answer: too short' } : { id, status: 'accepted' })) })(req, res);
      },
    ]);
    await runOutbox(deps);
    const rejected = await getReport(db, reports[1]!.id);
    expect(rejected!.status).toBe('failed');
    expect(rejected!.status_reason).toBe('The endpoint rejected this report: answer: too short');
    expect(await statuses(db)).toEqual({ uploaded: 2, failed: 1 });
  });

  it('reports progress as {done, total}', async () => {
    const { deps, progress } = await setup([acceptAll], { reports: 5, maxReports: 2 });
    await runOutbox(deps);
    expect(progress.map((p) => p.done)).toEqual([0, expect.any(Number), expect.any(Number), 5]);
    expect(progress.every((p) => p.total === 5)).toBe(true);
  });
});

describe('retrying', () => {
  it('keeps a report queued when the endpoint answers 503', async () => {
    const { db, deps, batchIds } = await setup([reply(503, { error: 'maintenance' })]);
    const run = await runOutbox(deps);
    expect(run.uploaded).toBe(0);
    expect(await statuses(db)).toEqual({ uploading: 3 });
    const [batch] = await outbox(db);
    expect(batch!.id).toBe(batchIds[0]);
    expect(batch!.attempts).toBe(1);
    // Full jitter over a 1 s window with random() = 0.5.
    expect(batch!.next_attempt_at).toBe(T0 + 500);
    expect(batch!.last_error).toBe('The endpoint answered 503: a server problem (“maintenance”); will retry.');
    expect(run.nextAttemptAt).toBe(T0 + 500);
    expect(await nextWakeTime(deps.store)).toBe(T0 + 500);
  });

  it('resends a retried batch under the same Idempotency-Key with the same body', async () => {
    const { server, db, deps } = await setup([reply(500), acceptAll]);
    await runOutbox(deps);
    clock += 1_000;
    await runOutbox(deps);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['idempotency-key']).toBe(server.requests[0]!.headers['idempotency-key']);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
    expect(await statuses(db)).toEqual({ uploaded: 3 });
  });

  it('does not resend before the backoff has passed', async () => {
    const { server, deps } = await setup([reply(502), acceptAll]);
    await runOutbox(deps);
    clock += 100;
    const run = await runOutbox(deps);
    expect(run.requests).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it('grows the backoff window exponentially up to the cap', async () => {
    const { db, deps } = await setup([reply(500)], { config: { baseDelayMs: 1_000, maxDelayMs: 5_000 } });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await runOutbox({ ...deps, random: () => 0.999 });
      const [batch] = await outbox(db);
      waits.push(batch!.next_attempt_at - clock);
      clock = batch!.next_attempt_at;
    }
    expect(waits).toEqual([999, 1998, 3996, 4995, 4995]);
  });

  it('honours Retry-After in seconds on 429', async () => {
    const { db, deps } = await setup([reply(429, {}, { 'Retry-After': '120' })]);
    await runOutbox(deps);
    expect((await outbox(db))[0]!.next_attempt_at).toBe(T0 + 120_000);
    expect((await outbox(db))[0]!.last_error).toContain('429: too many uploads');
  });

  it('honours Retry-After as an HTTP-date on 503', async () => {
    const when = new Date(T0 + 90_000).toUTCString();
    const { db, deps } = await setup([reply(503, {}, { 'Retry-After': when })]);
    await runOutbox(deps);
    expect((await outbox(db))[0]!.next_attempt_at).toBe(T0 + 90_000);
  });

  it('retries 408', async () => {
    const { db, deps } = await setup([reply(408)]);
    await runOutbox(deps);
    expect(await statuses(db)).toEqual({ uploading: 3 });
    expect((await outbox(db))[0]!.last_error).toContain('408');
  });

  it('gives up on a stalled request after the client timeout and keeps the batch', async () => {
    const { db, deps } = await setup([() => {}], { config: { timeoutMs: 300 } });
    const started = Date.now();
    const run = await runOutbox(deps);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(run.lastError).toBe('The endpoint did not answer within 0.3 s; will retry.');
    expect(await statuses(db)).toEqual({ uploading: 3 });
  });

  it('retries when the connection drops', async () => {
    const { db, deps } = await setup([(_req, res) => res.socket?.destroy()]);
    const run = await runOutbox(deps);
    expect(run.lastError).toMatch(/^Could not reach the endpoint \(.+\); will retry\.$/);
    expect(await statuses(db)).toEqual({ uploading: 3 });
  });

  it('retries when nothing listens at the endpoint', async () => {
    const { server, db, deps } = await setup([acceptAll]);
    await server.close();
    const run = await runOutbox(deps);
    expect(run.lastError).toBe('Could not reach the endpoint (ECONNREFUSED); will retry.');
    expect(await statuses(db)).toEqual({ uploading: 3 });
  });

  it('keeps reports queued when a 200 is not JSON', async () => {
    const { db, deps } = await setup([reply(200, '<html>proxy login</html>')]);
    const run = await runOutbox(deps);
    expect(run.lastError).toBe('The endpoint answered 200 but not with JSON (it began “<html>proxy login</html>”); will retry.');
    expect(await statuses(db)).toEqual({ uploading: 3 });
  });

  it('keeps reports queued when a 200 has the wrong shape', async () => {
    const { db, deps } = await setup([reply(200, { ok: true })]);
    const run = await runOutbox(deps);
    expect(run.lastError).toContain('but not with upload results');
    expect(await statuses(db)).toEqual({ uploading: 3 });
  });

  it('ignores results for reports not in the batch and requeues the ones left unanswered under a new key', async () => {
    const { server, db, deps, reports, batchIds } = await setup([
      (req, res) => {
        const ids = (JSON.parse(req.body) as { reports: Array<{ id: string }> }).reports.map((r) => r.id);
        reply(200, {
          results: [
            { id: ids[0], status: 'accepted' },
            { id: '11111111-1111-4111-8111-111111111111', status: 'rejected', reason: 'x' },
          ],
        })(req, res);
      },
      acceptAll,
    ]);
    await runOutbox(deps);
    expect((await getReport(db, reports[0]!.id))!.status).toBe('uploaded');
    const [rest] = await outbox(db);
    expect(rest!.report_ids).toEqual([reports[1]!.id, reports[2]!.id]);
    expect(rest!.payload.map((p) => p.id)).toEqual(rest!.report_ids);
    expect(rest!.id).not.toBe(batchIds[0]);
    expect(rest!.last_error).toBe('The endpoint answered for 1 of 3 reports; the other 2 stay queued.');
    clock += 10_000;
    await runOutbox(deps);
    expect(server.requests[1]!.headers['idempotency-key']).toBe(rest!.id);
    expect(await statuses(db)).toEqual({ uploaded: 3 });
  });

  it('stops requeueing reports a receiver keeps leaving out, after maxAttempts', async () => {
    const { db, deps } = await setup([reply(200, { results: [] })], { config: { maxAttempts: 2 } });
    for (let i = 0; i < 3; i++) {
      await runOutbox(deps);
      clock += 120_000;
    }
    expect(await statuses(db)).toEqual({ failed: 3 });
    expect(await reasons(db)).toEqual(['Gave up after 2 attempts: the endpoint never answered for this report.']);
    expect(await outbox(db)).toEqual([]);
  });

  it('marks reports failed after maxAttempts, with the last error', async () => {
    const { db, deps } = await setup([reply(503)], { config: { maxAttempts: 3 } });
    for (let i = 0; i < 3; i++) {
      await runOutbox(deps);
      clock += 120_000;
    }
    expect(await statuses(db)).toEqual({ failed: 3 });
    expect(await reasons(db)).toEqual(['Gave up after 3 attempts: The endpoint answered 503: a server problem.']);
    expect(await outbox(db)).toEqual([]);
  });
});

describe('413: splitting', () => {
  it('splits a batch the endpoint finds too large into halves with new keys', async () => {
    const { server, db, deps, batchIds } = await setup([reply(413), acceptAll], { reports: 5 });
    const run = await runOutbox(deps);
    expect(run.uploaded).toBe(5);
    expect(server.requests).toHaveLength(3);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toBe(batchIds[0]);
    expect(new Set(keys).size).toBe(3);
    const sizes = server.requests.slice(1).map((r) => (JSON.parse(r.body) as { reports: unknown[] }).reports.length);
    expect(sizes.sort()).toEqual([2, 3]);
    expect(await statuses(db)).toEqual({ uploaded: 5 });
  });

  it('splits again until the halves fit', async () => {
    const tooBig: Responder = (req, res) => {
      const n = (JSON.parse(req.body) as { reports: unknown[] }).reports.length;
      if (n > 2) reply(413)(req, res);
      else acceptAll(req, res);
    };
    const { db, deps } = await setup([tooBig], { reports: 8 });
    await runOutbox(deps);
    expect(await statuses(db)).toEqual({ uploaded: 8 });
  });

  it('fails a single report that alone is too large', async () => {
    const { db, deps } = await setup([reply(413)], { reports: 1 });
    await runOutbox(deps);
    expect(await statuses(db)).toEqual({ failed: 1 });
    expect(await reasons(db)).toEqual(['The endpoint answered 413: this report alone is larger than the endpoint accepts.']);
  });
});

describe('errors that retrying cannot fix', () => {
  it.each([
    [400, 'The endpoint answered 400: it could not read the upload'],
    [403, 'The endpoint answered 403: this token may not upload here'],
    [404, 'The endpoint answered 404: there is no upload service at this address; check the endpoint URL'],
    [422, 'The endpoint answered 422: it refused this batch'],
  ])('does not retry %i and marks the reports failed with a readable message', async (status, message) => {
    const { server, db, deps } = await setup([reply(status, 'not json')]);
    const run = await runOutbox(deps);
    clock += 3_600_000;
    await runOutbox(deps);
    expect(server.requests).toHaveLength(1);
    expect(run.failed).toBe(3);
    expect(await statuses(db)).toEqual({ failed: 3 });
    expect(await reasons(db)).toEqual([`${message}.`]);
    expect(await outbox(db)).toEqual([]);
  });

  it("quotes the receiver's own error text", async () => {
    const { db, deps } = await setup([reply(422, { error: 'Batch refused by policy.' })]);
    await runOutbox(deps);
    expect(await reasons(db)).toEqual(['The endpoint answered 422: it refused this batch (“Batch refused by policy.”).']);
  });

  it('says the drive is closed when the endpoint answers 403 "drive closed", and marks the reports failed', async () => {
    const { db, deps } = await setup([reply(403, { error: 'drive closed' })]);
    await runOutbox(deps);
    expect(await statuses(db)).toEqual({ failed: 3 });
    expect(await reasons(db)).toEqual([
      'The endpoint answered 403: this drive is closed and takes no more reports (“drive closed”). Move these reports to another drive or to none.',
    ]);
  });

  it('keeps the reports queued when the endpoint answers 401, says why, and sends them once the user gives a new token', async () => {
    const { server, db, deps } = await setup([reply(401, { error: 'The access token was revoked.' }), acceptAll], { token: 'revoked' });
    const run = await runOutbox(deps);
    expect(run).toMatchObject({ held: 1, failed: 0, uploaded: 0, nextAttemptAt: undefined });
    expect(run.lastError).toBe(
      'The endpoint answered 401: the access token is missing, wrong or revoked (“The access token was revoked.”). Your reports stay queued; enter a new token in the options to send them.',
    );
    expect(await statuses(db)).toEqual({ uploading: 3 });
    const [held] = await outbox(db);
    expect(held).toMatchObject({ next_attempt_at: HELD_AT, held: run.lastError });
    // No timer or alarm picks a held batch up, however much time passes.
    clock += 30 * 24 * 3_600_000;
    expect(await runOutbox(deps)).toMatchObject({ requests: 0 });
    expect(await nextWakeTime(deps.store)).toBeUndefined();

    await setToken(db, server.url, undefined, 'new-token');
    expect(await deps.store.dueNow(clock)).toBe(1);
    expect(await runOutbox(deps)).toMatchObject({ uploaded: 3 });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer revoked', 'Bearer new-token']);
    expect(await statuses(db)).toEqual({ uploaded: 3 });
  });

  it('does not follow redirects to another address', async () => {
    const { server, db, deps } = await setup([(_req, res) => res.writeHead(307, { Location: 'https://elsewhere.example/v1/reports' }).end()]);
    await runOutbox(deps);
    expect(server.requests).toHaveLength(1);
    expect(await reasons(db)).toEqual(['The endpoint answered with a redirect (307); enter the address it redirects to as the endpoint.']);
  });
});

describe('stopping', () => {
  it('leaves a batch exactly as it was when stopped mid-request, and resends it under the same key', async () => {
    const stop = new AbortController();
    const { server, db, deps, batchIds } = await setup([
      () => stop.abort(), // never answers; the caller stops meanwhile
      acceptAll,
    ]);
    const run = await runOutbox({ ...deps, signal: stop.signal, config: { ...deps.config, timeoutMs: 5_000 } });
    expect(run.stopped).toBe(true);
    const [batch] = await outbox(db);
    expect(batch).toMatchObject({ id: batchIds[0], attempts: 0 });
    await runOutbox(deps);
    expect(server.requests[1]!.headers['idempotency-key']).toBe(batchIds[0]);
    expect(await statuses(db)).toEqual({ uploaded: 3 });
  });
});

describe('enqueueReady', () => {
  it('queues ready reports in batches of at most 100 and marks them uploading', async () => {
    const { db } = await freshDb();
    await saveReady(db, 230);
    await saveReady(db, 2, 500, { status: 'draft' });
    const queued = await enqueueReady(db, { endpoint: 'https://example.org/sl', client: SAMPLE_CLIENT, now: () => T0 });
    expect(queued).toMatchObject({ ok: true, queued: 230, skipped: [] });
    const batches = await outbox(db);
    expect(batches.map((b) => b.report_ids.length).sort((a, b) => b - a)).toEqual([100, 100, 30]);
    for (const b of batches) {
      expect(b).toMatchObject({ endpoint: 'https://example.org/sl', attempts: 0, next_attempt_at: T0, client: SAMPLE_CLIENT });
      expect(b.payload.map((p) => p.id)).toEqual(b.report_ids);
    }
    expect(await statuses(db)).toEqual({ uploading: 230, draft: 2 });
  });

  it('keeps each request body within the byte limit', async () => {
    const { db } = await freshDb();
    await saveReady(db, 40);
    const maxBytes = 8_000;
    await enqueueReady(db, { endpoint: 'https://example.org', client: SAMPLE_CLIENT, limits: { maxBytes } });
    const batches = await outbox(db);
    expect(batches.length).toBeGreaterThan(4);
    for (const b of batches) expect(new TextEncoder().encode(requestBody(b.client, b.drive_id, b.payload)).length).toBeLessThanOrEqual(maxBytes);
    expect(batches.reduce((n, b) => n + b.report_ids.length, 0)).toBe(40);
  });

  it('redacts private data by default and sends the prompt only by opt-in', async () => {
    const { db } = await freshDb();
    const [withPrompt] = await saveReady(db, 1, 0, { prompt: 'write to me at jo@example.com', include_prompt: true, comment: 'call +44 20 7946 0958' });
    const [withoutPrompt] = await saveReady(db, 1, 1, { prompt: 'private question', include_prompt: false });
    await enqueueReady(db, { endpoint: 'https://example.org', client: SAMPLE_CLIENT });
    const [batch] = await outbox(db);
    const sent = Object.fromEntries(batch!.payload.map((p) => [p.id, p]));
    expect(sent[withPrompt!.id]).toMatchObject({ prompt: 'write to me at [EMAIL]', comment: 'call [PHONE]' });
    expect(sent[withoutPrompt!.id]!.prompt).toBeUndefined();
  });

  it('queues only the reports of the drive asked for, with its id and no copy of any token', async () => {
    const { db } = await freshDb();
    await saveReady(db, 2, 0, { drive_id: 'tw-2026' });
    await saveReady(db, 3, 10);
    await setToken(db, 'https://example.org', 'tw-2026', 't');
    const queued = await enqueueReady(db, { endpoint: 'https://example.org', client: SAMPLE_CLIENT, driveId: 'tw-2026' });
    expect(queued).toMatchObject({ ok: true, queued: 2 });
    const [batch] = await outbox(db);
    expect(batch).toMatchObject({ drive_id: 'tw-2026' });
    expect(JSON.stringify(batch)).not.toContain('"t"');
    expect(batch).not.toHaveProperty('token');
    expect(await statuses(db)).toEqual({ uploading: 2, ready: 3 });
  });

  it('queues a failed report again when the user picks it, and says why others were left out', async () => {
    const { db } = await freshDb();
    const [failed] = await saveReady(db, 1, 0, { status: 'failed', status_reason: 'The endpoint answered 401: …' });
    const [draft] = await saveReady(db, 1, 1, { status: 'draft' });
    const queued = await enqueueReady(db, { endpoint: 'https://example.org', client: SAMPLE_CLIENT, reportIds: [failed!.id, draft!.id, 'gone'] });
    expect(queued).toEqual({
      ok: true,
      queued: 1,
      updates: 0,
      batchIds: [expect.any(String)],
      skipped: [
        { id: draft!.id, reason: 'This report is still a draft.' },
        { id: 'gone', reason: 'This report no longer exists.' },
      ],
    });
    const report = await getReport(db, failed!.id);
    expect(report!.status).toBe('uploading');
    expect(report!.status_reason).toBeUndefined();
  });

  it('refuses an endpoint that is not https', async () => {
    const { db } = await freshDb();
    await saveReady(db, 1);
    const queued = await enqueueReady(db, { endpoint: 'http://example.org', client: SAMPLE_CLIENT });
    expect(queued.ok).toBe(false);
    expect(await statuses(db)).toEqual({ ready: 1 });
  });
});

describe('the contributor pseudonym (DESIGN §14)', () => {
  const PSEUDONYM = 'slc-abcdefghijklmnopqrstuvwxyz';

  it('carries the drive’s pseudonym in every request of its batches, through a retry and a 413 split', async () => {
    const server = await scriptedServer(reply(500), reply(413), acceptAll);
    servers.push(server);
    const { db } = await freshDb();
    await saveReady(db, 4, 0, { drive_id: 'tw-2026' });
    const queued = await enqueueReady(db, { endpoint: server.url, client: SAMPLE_CLIENT, driveId: 'tw-2026', contributor: PSEUDONYM, now: () => clock });
    expect(queued).toMatchObject({ ok: true, queued: 4 });
    expect(await outbox(db)).toEqual([expect.objectContaining({ drive_id: 'tw-2026', contributor: PSEUDONYM })]);
    const deps: UploadDeps = { store: createIdbOutboxStore(db), fetch, now: () => clock, random: () => 0.5, config: { baseDelayMs: 1_000, timeoutMs: 2_000 } };
    await runOutbox(deps);
    clock += 1_000;
    await runOutbox(deps);
    expect(await statuses(db)).toEqual({ uploaded: 4 });
    // 500, then the same batch again (413), then its two halves.
    expect(server.requests).toHaveLength(4);
    for (const request of server.requests) expect(JSON.parse(request.body)).toMatchObject({ drive_id: 'tw-2026', contributor: PSEUDONYM });
  });

  it('never puts a pseudonym on a batch of no drive, even when one is passed', async () => {
    const { db } = await freshDb();
    await saveReady(db, 2);
    const queued = await enqueueReady(db, { endpoint: 'https://example.org', client: SAMPLE_CLIENT, contributor: PSEUDONYM });
    expect(queued).toMatchObject({ ok: true, queued: 2 });
    const [batch] = await outbox(db);
    expect(batch).not.toHaveProperty('contributor');
    expect(requestBody(SAMPLE_CLIENT, undefined, batch!.payload, PSEUDONYM)).not.toContain(PSEUDONYM);
    expect(JSON.parse(requestBody(SAMPLE_CLIENT, 'tw-2026', [], PSEUDONYM))).toMatchObject({ drive_id: 'tw-2026', contributor: PSEUDONYM });
  });

  it('resends a batch queued before pseudonyms existed byte for byte, without one', async () => {
    const { db } = await freshDb();
    await saveReady(db, 1, 0, { drive_id: 'tw-2026' });
    await enqueueReady(db, { endpoint: 'https://example.org', client: SAMPLE_CLIENT, driveId: 'tw-2026' });
    const [batch] = await outbox(db);
    expect(batch).not.toHaveProperty('contributor');
    expect(requestBody(batch!.client, batch!.drive_id, batch!.payload, batch!.contributor)).toBe(
      JSON.stringify({ protocol: PROTOCOL, client: batch!.client, drive_id: 'tw-2026', reports: batch!.payload }),
    );
  });
});
