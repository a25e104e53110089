// `npm run bench:ingest` — the receiver's ingest budget (DESIGN.md §12: ≥ 2,000 reports/s
// with SQLite on this 2-core machine), measured over HTTP against the real receiver
// process, next to raw inserts of the same rows into SQLite in the same run. Then the
// extension's upload code (lib/upload, fake-indexeddb outbox) sending 10,000 queued
// reports to a local receiver. Prints a table; docs/receiver.md keeps the numbers.
//
// bench/ runs as CommonJS (bench/package.json), hence main() instead of top-level await.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PROTOCOL } from '../lib/protocol';
import type { UploadedReport } from '../lib/report';
import { openSoundsLocalDb } from '../lib/storage/db';
import { saveReport } from '../lib/storage/reports';
import { createIdbOutboxStore, enqueueReady, runOutbox } from '../lib/upload';
import { SqliteStore } from '../server/store-sqlite';
import { startReceiver } from '../server/testing';
import { SAMPLE_CLIENT, sampleStored, sampleUploaded } from '../tests/helpers/sample-reports';

const HTTP_REPORTS = Number(process.env.BENCH_REPORTS ?? 20_000);
const UPLOAD_REPORTS = Number(process.env.BENCH_UPLOAD_REPORTS ?? 10_000);
const BATCH = 100;
const BUDGET = 2_000;

function reports(count: number, offset: number): UploadedReport[] {
  return Array.from({ length: count }, (_, i) => sampleUploaded(offset + i));
}

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** POSTs every batch, `concurrency` requests at a time; returns reports per second. */
async function httpIngest(url: string, all: UploadedReport[], concurrency: number): Promise<number> {
  const queue = batches(all, BATCH).map((b) => JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: b }));
  const started = performance.now();
  const worker = async () => {
    for (let body = queue.shift(); body; body = queue.shift()) {
      const response = await fetch(`${url}/v1/reports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
        body,
      });
      const json = (await response.json()) as { results: Array<{ status: string }> };
      if (response.status !== 200 || json.results.some((r) => r.status !== 'accepted')) throw new Error(`ingest failed: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return all.length / ((performance.now() - started) / 1000);
}

/** The same rows, same schema, same pragmas, same one-transaction-per-100 — without HTTP, JSON parsing or validation. */
function rawInsert(all: UploadedReport[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'sounds-local-raw-'));
  const path = join(dir, 'reports.sqlite');
  new SqliteStore(path).close();
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
  const insert = db.prepare(
    'INSERT INTO reports (id, drive_id, expected_locale, received_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const started = performance.now();
  for (const batch of batches(all, BATCH)) {
    const now = new Date().toISOString();
    db.exec('BEGIN IMMEDIATE');
    for (const r of batch) insert.run(r.id, r.drive_id ?? null, r.expected_locale, now, JSON.stringify(r));
    db.exec('COMMIT');
  }
  const rate = all.length / ((performance.now() - started) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

async function extensionUpload(url: string): Promise<{ save: number; enqueue: number; upload: number; requests: number }> {
  const db = await openSoundsLocalDb(`bench-${randomUUID()}`);
  let t = performance.now();
  for (let i = 0; i < UPLOAD_REPORTS; i++) await saveReport(db, sampleStored(5_000_000 + i));
  const save = performance.now() - t;
  t = performance.now();
  const queued = await enqueueReady(db, { endpoint: url, client: SAMPLE_CLIENT });
  if (!queued.ok || queued.queued !== UPLOAD_REPORTS) throw new Error(`enqueue failed: ${JSON.stringify(queued).slice(0, 200)}`);
  const enqueue = performance.now() - t;
  t = performance.now();
  const run = await runOutbox({ store: createIdbOutboxStore(db), fetch });
  const upload = performance.now() - t;
  if (run.uploaded !== UPLOAD_REPORTS) throw new Error(`uploaded ${run.uploaded} of ${UPLOAD_REPORTS}: ${run.lastError}`);
  db.close();
  return { save, enqueue, upload, requests: run.requests };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function main() {
  const sample = reports(100, 0);
  const avgBytes = sample.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0) / sample.length;
  const avgMarks = sample.reduce((n, r) => n + r.highlights.length, 0) / sample.length;
  console.log(
    `ingest benchmark — ${cpus().length} cores, Node ${process.version}, ${HTTP_REPORTS.toLocaleString('en')} reports in batches of ${BATCH}` +
      ` (${fmt(avgBytes)} bytes and ${avgMarks} marks per report)`,
  );
  // One address sends everything as fast as it can: the per-client rate limit would measure
  // itself, not ingest (bench/receiver-flood.ts measures the limits).
  const receiver = await startReceiver({ env: { LOG: 'quiet', RATE_LIMIT: '0' } });
  try {
    // Warm up the receiver (JIT, SQLite page cache) with reports that are not measured.
    await httpIngest(receiver.url, reports(1_000, 9_000_000), 1);
    const http1 = await httpIngest(receiver.url, reports(HTTP_REPORTS, 0), 1);
    const http4 = await httpIngest(receiver.url, reports(HTTP_REPORTS, 1_000_000), 4);
    const raw = rawInsert(reports(HTTP_REPORTS, 2_000_000));
    const ext = await extensionUpload(receiver.url);

    const rows: Array<[string, string, string]> = [
      ['receiver over HTTP, 1 client', `${fmt(http1)} reports/s`, http1 >= BUDGET ? `ok (budget ≥ ${fmt(BUDGET)})` : `UNDER BUDGET (≥ ${fmt(BUDGET)})`],
      ['receiver over HTTP, 4 clients', `${fmt(http4)} reports/s`, http4 >= BUDGET ? 'ok' : 'UNDER BUDGET'],
      ['raw SQLite inserts, same rows', `${fmt(raw)} reports/s`, ''],
      ['HTTP ÷ raw (1 client)', `${((http1 / raw) * 100).toFixed(1)} %`, ''],
      [`extension: save ${fmt(UPLOAD_REPORTS)} reports (fake-indexeddb)`, `${(ext.save / 1000).toFixed(2)} s`, ''],
      [`extension: enqueueReady ${fmt(UPLOAD_REPORTS)}`, `${(ext.enqueue / 1000).toFixed(2)} s`, ''],
      [`extension: runOutbox ${fmt(UPLOAD_REPORTS)} → receiver`, `${(ext.upload / 1000).toFixed(2)} s`, `${ext.requests} requests, ${fmt(UPLOAD_REPORTS / (ext.upload / 1000))} reports/s`],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    console.log('');
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
    if (http1 < BUDGET) process.exitCode = 1;
  } finally {
    await receiver.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
