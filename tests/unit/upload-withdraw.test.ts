// @vitest-environment node
// Withdrawing and correcting an uploaded report (DESIGN §8a), client side: the per-report
// owner key, DELETE and PUT through the outbox (retried like uploads), against a scripted
// server for every answer and against the real reference receiver end to end.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ownerKeyHash } from '../../lib/protocol';
import { saveReport } from '../../lib/storage/reports';
import type { SoundsLocalDb } from '../../lib/storage/db';
import { createIdbCredentials, createIdbOutboxStore, enqueueReady, enqueueWithdraw, runOutbox, type UploadDeps } from '../../lib/upload';
import { runExport, startReceiver, type ReceiverProcess } from '../../server/testing';
import { SAMPLE_CLIENT } from '../helpers/sample-reports';
import { acceptAll, freshDb, outbox, reply, saveReady, scriptedServer, type Responder } from '../helpers/upload';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

let clock = Date.UTC(2026, 10, 30, 9, 0, 0);
function deps(db: SoundsLocalDb): UploadDeps {
  return {
    store: createIdbOutboxStore(db),
    credentials: createIdbCredentials(db),
    fetch,
    now: () => clock,
    random: () => 0.5,
    config: { baseDelayMs: 1_000, maxDelayMs: 10_000, timeoutMs: 3_000 },
  };
}

/** Uploads `count` reports to a scripted server whose later answers are `then`. */
async function uploaded(count: number, ...then: Responder[]) {
  const server = await scriptedServer(acceptAll, ...then);
  servers.push(server);
  const { db } = await freshDb();
  const reports = await saveReady(db, count);
  await enqueueReady(db, { endpoint: server.url, client: SAMPLE_CLIENT, now: () => clock });
  expect(await runOutbox(deps(db))).toMatchObject({ uploaded: count });
  return { server, db, reports };
}

describe('the owner key', () => {
  it('is made once per report before its first upload, and only its SHA-256 is sent as owner_key_hash', async () => {
    const { server, db, reports } = await uploaded(2);
    const body = JSON.parse(server.requests[0]!.body) as { reports: Array<{ id: string; owner_key_hash: string }> };
    for (const report of reports) {
      const receipt = await db.get('receipts', report.id);
      expect(receipt).toMatchObject({ endpoint: server.url, remote: 'accepted' });
      expect(receipt!.secret).toMatch(/^[0-9a-f]{64}$/);
      const sent = body.reports.find((r) => r.id === report.id)!;
      expect(sent.owner_key_hash).toBe(await ownerKeyHash(receipt!.secret));
      expect(server.requests[0]!.body).not.toContain(receipt!.secret);
    }
    expect(new Set(body.reports.map((r) => r.owner_key_hash)).size).toBe(2);
  });
});

describe('withdrawing', () => {
  it('DELETEs the report with its Owner-Key and marks it withdrawn', async () => {
    const { server, db, reports } = await uploaded(1, (req, res) => reply(200, { id: req.url.split('/').pop(), status: 'withdrawn' })(req, res));
    const [report] = reports;
    expect(await enqueueWithdraw(db, report!.id, { client: SAMPLE_CLIENT, now: () => clock })).toMatchObject({ ok: true });
    expect((await db.get('receipts', report!.id))?.remote).toBe('withdrawing');
    const run = await runOutbox(deps(db));
    expect(run).toMatchObject({ withdrawn: 1, failed: 0 });
    const request = server.requests[1]!;
    expect(request.method).toBe('DELETE');
    expect(request.url).toBe(`/v1/reports/${report!.id}`);
    expect(request.headers['owner-key']).toBe((await db.get('receipts', report!.id))!.secret);
    expect(request.body).toBe('');
    expect((await db.get('reports', report!.id))?.status).toBe('withdrawn');
    expect((await db.get('receipts', report!.id))?.remote).toBe('withdrawn');
    expect(await outbox(db)).toEqual([]);
  });

  it('keeps a withdrawal queued while the endpoint is down, and sends it again under the same key', async () => {
    const { server, db, reports } = await uploaded(1, reply(503, { error: 'maintenance' }), (req, res) =>
      reply(200, { id: req.url.split('/').pop(), status: 'withdrawn' })(req, res),
    );
    await enqueueWithdraw(db, reports[0]!.id, { client: SAMPLE_CLIENT, now: () => clock });
    const first = await runOutbox(deps(db));
    expect(first.withdrawn).toBe(0);
    expect(first.nextAttemptAt).toBeGreaterThan(clock);
    expect((await db.get('reports', reports[0]!.id))?.status).toBe('uploaded');
    clock = first.nextAttemptAt!;
    expect(await runOutbox(deps(db))).toMatchObject({ withdrawn: 1 });
    const deletes = server.requests.filter((r) => r.method === 'DELETE');
    expect(deletes).toHaveLength(2);
    expect(new Set(deletes.map((r) => r.headers['idempotency-key'])).size).toBe(1);
  });

  it('leaves the report uploaded, saying why, when the endpoint refuses the owner key (403)', async () => {
    const { db, reports } = await uploaded(1, reply(403, { error: 'owner key does not match' }));
    await enqueueWithdraw(db, reports[0]!.id, { client: SAMPLE_CLIENT, now: () => clock });
    await runOutbox(deps(db));
    const report = await db.get('reports', reports[0]!.id);
    expect(report?.status).toBe('uploaded');
    expect(report?.status_reason).toBe(
      'Not withdrawn: The endpoint answered 403: it does not accept this device’s owner key for this report (“owner key does not match”).',
    );
    expect((await db.get('receipts', reports[0]!.id))?.remote).toBe('accepted');
  });

  it('refuses to withdraw a report that was never uploaded from this device', async () => {
    const { db } = await freshDb();
    const [report] = await saveReady(db, 1);
    expect(await enqueueWithdraw(db, report!.id, { client: SAMPLE_CLIENT })).toEqual({
      ok: false,
      error: 'This report was never uploaded from this device, so there is nothing to withdraw.',
    });
    expect(await outbox(db)).toEqual([]);
  });
});

describe('correcting', () => {
  it('PUTs an edited uploaded report with its Owner-Key instead of posting it again', async () => {
    const { server, db, reports } = await uploaded(1, (req, res) => reply(200, { id: JSON.parse(req.body).id, status: 'updated' })(req, res));
    const [report] = reports;
    const edited = { ...(await db.get('reports', report!.id))!, status: 'ready' as const, comment: 'Also the tone.', updated_at: '2026-11-30T10:00:00.000Z' };
    await saveReport(db, edited);
    expect(await enqueueReady(db, { endpoint: server.url, client: SAMPLE_CLIENT, now: () => clock })).toMatchObject({ ok: true, queued: 1, updates: 1 });
    expect(await runOutbox(deps(db))).toMatchObject({ uploaded: 1 });
    const put = server.requests[1]!;
    expect(put.method).toBe('PUT');
    expect(put.url).toBe(`/v1/reports/${report!.id}`);
    expect(put.headers['owner-key']).toBe((await db.get('receipts', report!.id))!.secret);
    expect(JSON.parse(put.body)).toMatchObject({ id: report!.id, comment: 'Also the tone.', updated_at: '2026-11-30T10:00:00.000Z' });
    expect((await db.get('reports', report!.id))?.status).toBe('uploaded');
    expect(await db.get('receipts', report!.id)).toMatchObject({ remote: 'updated', sent_updated_at: '2026-11-30T10:00:00.000Z' });
  });
});

describe('against the reference receiver', () => {
  let receiver: ReceiverProcess;
  beforeAll(async () => {
    receiver = await startReceiver({ env: { LOG: 'quiet' } });
  });
  afterAll(() => receiver?.stop());

  async function exported(): Promise<Map<string, Record<string, unknown>>> {
    const dir = mkdtempSync(join(tmpdir(), 'withdraw-export-'));
    try {
      const out = join(dir, 'reports.jsonl');
      const result = await runExport(['--format', 'jsonl', '--out', out], { DATA_DIR: receiver.dataDir });
      expect(result.code, result.output).toBe(0);
      const text = readFileSync(out, 'utf8').trim();
      return new Map(text ? text.split('\n').map((line) => [JSON.parse(line).id, JSON.parse(line)]) : []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('withdraws one report and replaces another: the export holds exactly the corrected one', async () => {
    const { db } = await freshDb();
    const realDeps = (): UploadDeps => ({ ...deps(db), now: Date.now, config: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 5_000 } });
    const [kept, withdrawn] = await saveReady(db, 2, 50_000);
    await enqueueReady(db, { endpoint: receiver.url, client: SAMPLE_CLIENT });
    expect(await runOutbox(realDeps())).toMatchObject({ uploaded: 2 });

    expect(await enqueueWithdraw(db, withdrawn!.id, { client: SAMPLE_CLIENT })).toMatchObject({ ok: true });
    expect(await runOutbox(realDeps())).toMatchObject({ withdrawn: 1 });
    expect((await db.get('reports', withdrawn!.id))?.status).toBe('withdrawn');

    const edited = {
      ...(await db.get('reports', kept!.id))!,
      status: 'ready' as const,
      comment: 'Corrected after upload.',
      updated_at: new Date(Date.now() + 1_000).toISOString(),
    };
    await saveReport(db, edited);
    expect(await enqueueReady(db, { endpoint: receiver.url, client: SAMPLE_CLIENT })).toMatchObject({ queued: 1, updates: 1 });
    expect(await runOutbox(realDeps())).toMatchObject({ uploaded: 1 });
    expect((await db.get('receipts', kept!.id))?.remote).toBe('updated');

    const held = await exported();
    expect([...held.keys()].filter((id) => id === kept!.id || id === withdrawn!.id)).toEqual([kept!.id]);
    expect(held.get(kept!.id)).toMatchObject({ comment: 'Corrected after upload.' });
    expect(held.get(kept!.id)).not.toHaveProperty('owner_key_hash');

    // Uploading the withdrawn id again is answered `withdrawn`, not stored.
    await saveReport(db, { ...(await db.get('reports', withdrawn!.id))!, status: 'ready' });
    await db.put('receipts', { ...(await db.get('receipts', withdrawn!.id))!, remote: 'withdrawn' });
    await enqueueReady(db, { endpoint: receiver.url, client: SAMPLE_CLIENT, reportIds: [withdrawn!.id] });
    expect(await runOutbox(realDeps())).toMatchObject({ withdrawn: 1 });
    expect((await db.get('reports', withdrawn!.id))?.status).toBe('withdrawn');
    expect((await exported()).has(withdrawn!.id)).toBe(false);
  });
});
